namespace Quotes.Simulator;

/// <summary>A reference universe of real US tickers with their names, primary exchange (MIC) and type, for ticker search.</summary>
public static class ReferenceTickers
{
    public sealed record Ticker(string Symbol, string Name, string Exchange, string Type);

    public static readonly IReadOnlyList<Ticker> All = Parse("""
        AAPL|Apple Inc.|XNAS|CS
        MSFT|Microsoft Corporation|XNAS|CS
        NVDA|NVIDIA Corporation|XNAS|CS
        AMZN|Amazon.com, Inc.|XNAS|CS
        GOOGL|Alphabet Inc. Class A|XNAS|CS
        GOOG|Alphabet Inc. Class C|XNAS|CS
        META|Meta Platforms, Inc.|XNAS|CS
        TSLA|Tesla, Inc.|XNAS|CS
        BRK.A|Berkshire Hathaway Inc. Class A|XNYS|CS
        BRK.B|Berkshire Hathaway Inc. Class B|XNYS|CS
        AVGO|Broadcom Inc.|XNAS|CS
        LLY|Eli Lilly and Company|XNYS|CS
        JPM|JPMorgan Chase & Co.|XNYS|CS
        V|Visa Inc.|XNYS|CS
        UNH|UnitedHealth Group Incorporated|XNYS|CS
        XOM|Exxon Mobil Corporation|XNYS|CS
        MA|Mastercard Incorporated|XNYS|CS
        JNJ|Johnson & Johnson|XNYS|CS
        PG|The Procter & Gamble Company|XNYS|CS
        HD|The Home Depot, Inc.|XNYS|CS
        COST|Costco Wholesale Corporation|XNAS|CS
        ABBV|AbbVie Inc.|XNYS|CS
        MRK|Merck & Co., Inc.|XNYS|CS
        ORCL|Oracle Corporation|XNYS|CS
        CVX|Chevron Corporation|XNYS|CS
        ADBE|Adobe Inc.|XNAS|CS
        CRM|Salesforce, Inc.|XNYS|CS
        KO|The Coca-Cola Company|XNYS|CS
        PEP|PepsiCo, Inc.|XNAS|CS
        BAC|Bank of America Corporation|XNYS|CS
        WMT|Walmart Inc.|XNYS|CS
        NFLX|Netflix, Inc.|XNAS|CS
        AMD|Advanced Micro Devices, Inc.|XNAS|CS
        TMO|Thermo Fisher Scientific Inc.|XNYS|CS
        MCD|McDonald's Corporation|XNYS|CS
        CSCO|Cisco Systems, Inc.|XNAS|CS
        ACN|Accenture plc|XNYS|CS
        ABT|Abbott Laboratories|XNYS|CS
        LIN|Linde plc|XNAS|CS
        DHR|Danaher Corporation|XNYS|CS
        INTC|Intel Corporation|XNAS|CS
        WFC|Wells Fargo & Company|XNYS|CS
        DIS|The Walt Disney Company|XNYS|CS
        TXN|Texas Instruments Incorporated|XNAS|CS
        VZ|Verizon Communications Inc.|XNYS|CS
        INTU|Intuit Inc.|XNAS|CS
        CMCSA|Comcast Corporation|XNAS|CS
        PFE|Pfizer Inc.|XNYS|CS
        AMGN|Amgen Inc.|XNAS|CS
        NKE|NIKE, Inc.|XNYS|CS
        PM|Philip Morris International Inc.|XNYS|CS
        IBM|International Business Machines Corporation|XNYS|CS
        QCOM|QUALCOMM Incorporated|XNAS|CS
        UNP|Union Pacific Corporation|XNYS|CS
        NOW|ServiceNow, Inc.|XNYS|CS
        CAT|Caterpillar Inc.|XNYS|CS
        GE|GE Aerospace|XNYS|CS
        SPGI|S&P Global Inc.|XNYS|CS
        AMAT|Applied Materials, Inc.|XNAS|CS
        HON|Honeywell International Inc.|XNAS|CS
        BA|The Boeing Company|XNYS|CS
        GS|The Goldman Sachs Group, Inc.|XNYS|CS
        LOW|Lowe's Companies, Inc.|XNYS|CS
        ISRG|Intuitive Surgical, Inc.|XNAS|CS
        RTX|RTX Corporation|XNYS|CS
        BKNG|Booking Holdings Inc.|XNAS|CS
        ELV|Elevance Health, Inc.|XNYS|CS
        SBUX|Starbucks Corporation|XNAS|CS
        T|AT&T Inc.|XNYS|CS
        MS|Morgan Stanley|XNYS|CS
        PLD|Prologis, Inc.|XNYS|CS
        DE|Deere & Company|XNYS|CS
        BLK|BlackRock, Inc.|XNYS|CS
        MDT|Medtronic plc|XNYS|CS
        LMT|Lockheed Martin Corporation|XNYS|CS
        AXP|American Express Company|XNYS|CS
        GILD|Gilead Sciences, Inc.|XNAS|CS
        SYK|Stryker Corporation|XNYS|CS
        ADI|Analog Devices, Inc.|XNAS|CS
        TJX|The TJX Companies, Inc.|XNYS|CS
        MDLZ|Mondelez International, Inc.|XNAS|CS
        C|Citigroup Inc.|XNYS|CS
        ADP|Automatic Data Processing, Inc.|XNAS|CS
        VRTX|Vertex Pharmaceuticals Incorporated|XNAS|CS
        MMC|Marsh & McLennan Companies, Inc.|XNYS|CS
        CVS|CVS Health Corporation|XNYS|CS
        REGN|Regeneron Pharmaceuticals, Inc.|XNAS|CS
        SCHW|The Charles Schwab Corporation|XNYS|CS
        CB|Chubb Limited|XNYS|CS
        LRCX|Lam Research Corporation|XNAS|CS
        PGR|The Progressive Corporation|XNYS|CS
        MU|Micron Technology, Inc.|XNAS|CS
        ZTS|Zoetis Inc.|XNYS|CS
        ETN|Eaton Corporation plc|XNYS|CS
        BSX|Boston Scientific Corporation|XNYS|CS
        CI|The Cigna Group|XNYS|CS
        MO|Altria Group, Inc.|XNYS|CS
        SO|The Southern Company|XNYS|CS
        PANW|Palo Alto Networks, Inc.|XNAS|CS
        FI|Fiserv, Inc.|XNYS|CS
        DUK|Duke Energy Corporation|XNYS|CS
        KLAC|KLA Corporation|XNAS|CS
        SNPS|Synopsys, Inc.|XNAS|CS
        CDNS|Cadence Design Systems, Inc.|XNAS|CS
        EQIX|Equinix, Inc.|XNAS|CS
        SHW|The Sherwin-Williams Company|XNYS|CS
        ICE|Intercontinental Exchange, Inc.|XNYS|CS
        CME|CME Group Inc.|XNAS|CS
        APD|Air Products and Chemicals, Inc.|XNYS|CS
        BDX|Becton, Dickinson and Company|XNYS|CS
        CL|Colgate-Palmolive Company|XNYS|CS
        ITW|Illinois Tool Works Inc.|XNYS|CS
        MMM|3M Company|XNYS|CS
        WM|Waste Management, Inc.|XNYS|CS
        EOG|EOG Resources, Inc.|XNYS|CS
        NOC|Northrop Grumman Corporation|XNYS|CS
        GD|General Dynamics Corporation|XNYS|CS
        HUM|Humana Inc.|XNYS|CS
        FDX|FedEx Corporation|XNYS|CS
        USB|U.S. Bancorp|XNYS|CS
        PNC|The PNC Financial Services Group, Inc.|XNYS|CS
        TGT|Target Corporation|XNYS|CS
        EMR|Emerson Electric Co.|XNYS|CS
        NSC|Norfolk Southern Corporation|XNYS|CS
        CSX|CSX Corporation|XNAS|CS
        MCK|McKesson Corporation|XNYS|CS
        ORLY|O'Reilly Automotive, Inc.|XNAS|CS
        AZO|AutoZone, Inc.|XNYS|CS
        MAR|Marriott International, Inc.|XNAS|CS
        HLT|Hilton Worldwide Holdings Inc.|XNYS|CS
        ABNB|Airbnb, Inc.|XNAS|CS
        UBER|Uber Technologies, Inc.|XNYS|CS
        LYFT|Lyft, Inc.|XNAS|CS
        PYPL|PayPal Holdings, Inc.|XNAS|CS
        SQ|Block, Inc.|XNYS|CS
        SHOP|Shopify Inc.|XNAS|CS
        SNOW|Snowflake Inc.|XNYS|CS
        PLTR|Palantir Technologies Inc.|XNAS|CS
        CRWD|CrowdStrike Holdings, Inc.|XNAS|CS
        ZS|Zscaler, Inc.|XNAS|CS
        DDOG|Datadog, Inc.|XNAS|CS
        NET|Cloudflare, Inc.|XNYS|CS
        MDB|MongoDB, Inc.|XNAS|CS
        TEAM|Atlassian Corporation|XNAS|CS
        WDAY|Workday, Inc.|XNAS|CS
        ADSK|Autodesk, Inc.|XNAS|CS
        FTNT|Fortinet, Inc.|XNAS|CS
        OKTA|Okta, Inc.|XNAS|CS
        TWLO|Twilio Inc.|XNYS|CS
        ZM|Zoom Communications, Inc.|XNAS|CS
        DOCU|DocuSign, Inc.|XNAS|CS
        ROKU|Roku, Inc.|XNAS|CS
        SPOT|Spotify Technology S.A.|XNYS|CS
        RBLX|Roblox Corporation|XNYS|CS
        U|Unity Software Inc.|XNYS|CS
        EA|Electronic Arts Inc.|XNAS|CS
        TTWO|Take-Two Interactive Software, Inc.|XNAS|CS
        COIN|Coinbase Global, Inc.|XNAS|CS
        HOOD|Robinhood Markets, Inc.|XNAS|CS
        SOFI|SoFi Technologies, Inc.|XNAS|CS
        RIVN|Rivian Automotive, Inc.|XNAS|CS
        LCID|Lucid Group, Inc.|XNAS|CS
        F|Ford Motor Company|XNYS|CS
        GM|General Motors Company|XNYS|CS
        STLA|Stellantis N.V.|XNYS|CS
        TM|Toyota Motor Corporation|XNYS|ADRC
        HMC|Honda Motor Co., Ltd.|XNYS|ADRC
        NIO|NIO Inc.|XNYS|ADRC
        BABA|Alibaba Group Holding Limited|XNYS|ADRC
        JD|JD.com, Inc.|XNAS|ADRC
        PDD|PDD Holdings Inc.|XNAS|ADRC
        BIDU|Baidu, Inc.|XNAS|ADRC
        TSM|Taiwan Semiconductor Manufacturing Company Limited|XNYS|ADRC
        ASML|ASML Holding N.V.|XNAS|CS
        SAP|SAP SE|XNYS|ADRC
        SONY|Sony Group Corporation|XNYS|ADRC
        NVO|Novo Nordisk A/S|XNYS|ADRC
        AZN|AstraZeneca PLC|XNAS|ADRC
        SHEL|Shell plc|XNYS|ADRC
        BP|BP p.l.c.|XNYS|ADRC
        TTE|TotalEnergies SE|XNYS|ADRC
        UL|Unilever PLC|XNYS|ADRC
        HSBC|HSBC Holdings plc|XNYS|ADRC
        RY|Royal Bank of Canada|XNYS|CS
        TD|The Toronto-Dominion Bank|XNYS|CS
        ARM|Arm Holdings plc|XNAS|ADRC
        SMCI|Super Micro Computer, Inc.|XNAS|CS
        DELL|Dell Technologies Inc.|XNYS|CS
        HPQ|HP Inc.|XNYS|CS
        HPE|Hewlett Packard Enterprise Company|XNYS|CS
        WDC|Western Digital Corporation|XNAS|CS
        STX|Seagate Technology Holdings plc|XNAS|CS
        MRVL|Marvell Technology, Inc.|XNAS|CS
        ON|ON Semiconductor Corporation|XNAS|CS
        NXPI|NXP Semiconductors N.V.|XNAS|CS
        MCHP|Microchip Technology Incorporated|XNAS|CS
        ANET|Arista Networks, Inc.|XNYS|CS
        APH|Amphenol Corporation|XNYS|CS
        GLW|Corning Incorporated|XNYS|CS
        KHC|The Kraft Heinz Company|XNAS|CS
        GIS|General Mills, Inc.|XNYS|CS
        K|Kellanova|XNYS|CS
        HSY|The Hershey Company|XNYS|CS
        KDP|Keurig Dr Pepper Inc.|XNAS|CS
        MNST|Monster Beverage Corporation|XNAS|CS
        STZ|Constellation Brands, Inc.|XNYS|CS
        BF.B|Brown-Forman Corporation Class B|XNYS|CS
        KR|The Kroger Co.|XNYS|CS
        DG|Dollar General Corporation|XNYS|CS
        DLTR|Dollar Tree, Inc.|XNAS|CS
        BBY|Best Buy Co., Inc.|XNYS|CS
        EBAY|eBay Inc.|XNAS|CS
        ETSY|Etsy, Inc.|XNAS|CS
        CMG|Chipotle Mexican Grill, Inc.|XNYS|CS
        YUM|Yum! Brands, Inc.|XNYS|CS
        DPZ|Domino's Pizza, Inc.|XNAS|CS
        LULU|Lululemon Athletica Inc.|XNAS|CS
        ROST|Ross Stores, Inc.|XNAS|CS
        GPS|The Gap, Inc.|XNYS|CS
        DAL|Delta Air Lines, Inc.|XNYS|CS
        UAL|United Airlines Holdings, Inc.|XNAS|CS
        AAL|American Airlines Group Inc.|XNAS|CS
        LUV|Southwest Airlines Co.|XNYS|CS
        CCL|Carnival Corporation & plc|XNYS|CS
        RCL|Royal Caribbean Cruises Ltd.|XNYS|CS
        UPS|United Parcel Service, Inc.|XNYS|CS
        OXY|Occidental Petroleum Corporation|XNYS|CS
        COP|ConocoPhillips|XNYS|CS
        SLB|SLB N.V.|XNYS|CS
        HAL|Halliburton Company|XNYS|CS
        PSX|Phillips 66|XNYS|CS
        MPC|Marathon Petroleum Corporation|XNYS|CS
        VLO|Valero Energy Corporation|XNYS|CS
        KMI|Kinder Morgan, Inc.|XNYS|CS
        WMB|The Williams Companies, Inc.|XNYS|CS
        NEE|NextEra Energy, Inc.|XNYS|CS
        D|Dominion Energy, Inc.|XNYS|CS
        AEP|American Electric Power Company, Inc.|XNAS|CS
        EXC|Exelon Corporation|XNAS|CS
        NEM|Newmont Corporation|XNYS|CS
        FCX|Freeport-McMoRan Inc.|XNYS|CS
        NUE|Nucor Corporation|XNYS|CS
        DOW|Dow Inc.|XNYS|CS
        DD|DuPont de Nemours, Inc.|XNYS|CS
        AMT|American Tower Corporation|XNYS|CS
        CCI|Crown Castle Inc.|XNYS|CS
        O|Realty Income Corporation|XNYS|CS
        SPG|Simon Property Group, Inc.|XNYS|CS
        PSA|Public Storage|XNYS|CS
        MET|MetLife, Inc.|XNYS|CS
        PRU|Prudential Financial, Inc.|XNYS|CS
        AIG|American International Group, Inc.|XNYS|CS
        ALL|The Allstate Corporation|XNYS|CS
        TRV|The Travelers Companies, Inc.|XNYS|CS
        COF|Capital One Financial Corporation|XNYS|CS
        DFS|Discover Financial Services|XNYS|CS
        SYF|Synchrony Financial|XNYS|CS
        ALLY|Ally Financial Inc.|XNYS|CS
        KKR|KKR & Co. Inc.|XNYS|CS
        BX|Blackstone Inc.|XNYS|CS
        APO|Apollo Global Management, Inc.|XNYS|CS
        MSCI|MSCI Inc.|XNYS|CS
        MCO|Moody's Corporation|XNYS|CS
        NDAQ|Nasdaq, Inc.|XNAS|CS
        CBOE|Cboe Global Markets, Inc.|BATS|CS
        HCA|HCA Healthcare, Inc.|XNYS|CS
        MRNA|Moderna, Inc.|XNAS|CS
        BIIB|Biogen Inc.|XNAS|CS
        BMY|Bristol-Myers Squibb Company|XNYS|CS
        DXCM|DexCom, Inc.|XNAS|CS
        IDXX|IDEXX Laboratories, Inc.|XNAS|CS
        IQV|IQVIA Holdings Inc.|XNYS|CS
        A|Agilent Technologies, Inc.|XNYS|CS
        SPY|SPDR S&P 500 ETF Trust|ARCX|ETF
        QQQ|Invesco QQQ Trust, Series 1|XNAS|ETF
        IWM|iShares Russell 2000 ETF|ARCX|ETF
        DIA|SPDR Dow Jones Industrial Average ETF Trust|ARCX|ETF
        VOO|Vanguard S&P 500 ETF|ARCX|ETF
        VTI|Vanguard Total Stock Market ETF|ARCX|ETF
        IVV|iShares Core S&P 500 ETF|ARCX|ETF
        EFA|iShares MSCI EAFE ETF|ARCX|ETF
        EEM|iShares MSCI Emerging Markets ETF|ARCX|ETF
        GLD|SPDR Gold Shares|ARCX|ETF
        SLV|iShares Silver Trust|ARCX|ETF
        TLT|iShares 20+ Year Treasury Bond ETF|XNAS|ETF
        HYG|iShares iBoxx $ High Yield Corporate Bond ETF|ARCX|ETF
        LQD|iShares iBoxx $ Investment Grade Corporate Bond ETF|ARCX|ETF
        XLF|Financial Select Sector SPDR Fund|ARCX|ETF
        XLK|Technology Select Sector SPDR Fund|ARCX|ETF
        XLE|Energy Select Sector SPDR Fund|ARCX|ETF
        XLV|Health Care Select Sector SPDR Fund|ARCX|ETF
        XLY|Consumer Discretionary Select Sector SPDR Fund|ARCX|ETF
        XLP|Consumer Staples Select Sector SPDR Fund|ARCX|ETF
        XLI|Industrial Select Sector SPDR Fund|ARCX|ETF
        XLU|Utilities Select Sector SPDR Fund|ARCX|ETF
        ARKK|ARK Innovation ETF|ARCX|ETF
        SMH|VanEck Semiconductor ETF|XNAS|ETF
        SOXX|iShares Semiconductor ETF|XNAS|ETF
        TQQQ|ProShares UltraPro QQQ|XNAS|ETF
        SQQQ|ProShares UltraPro Short QQQ|XNAS|ETF
        VXX|iPath Series B S&P 500 VIX Short-Term Futures ETN|BATS|ETN
        """);

    private static readonly Dictionary<string, Ticker> BySymbol = All.ToDictionary(t => t.Symbol, StringComparer.Ordinal);

    public static bool TryGet(string symbol, out Ticker ticker) => BySymbol.TryGetValue(symbol, out ticker!);

    private static List<Ticker> Parse(string table) =>
        table.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('|'))
            .Select(p => new Ticker(p[0], p[1], p[2], p[3]))
            .ToList();
}
