using System.Globalization;

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

    /// <summary>Where a ticker trades: an approximate price, its typical daily move (0.02 is 2 %), and its average daily volume in shares.</summary>
    public sealed record Level(decimal Price, double DailyVolatility, long DailyVolume);

    /// <summary>The level of a well-known ticker, so that a first screen looks like the market; false for the others.</summary>
    public static bool TryGetLevel(string symbol, out Level level) => Levels.TryGetValue(symbol, out level!);

    /// <summary>Approximate recent levels (price in dollars, daily volatility, average daily volume in millions of shares).</summary>
    private static readonly Dictionary<string, Level> Levels = ParseLevels("""
        AAPL|278|0.016|50
        MSFT|485|0.014|20
        NVDA|182|0.028|180
        AMZN|228|0.019|45
        GOOGL|318|0.019|35
        GOOG|319|0.019|25
        META|640|0.023|13
        TSLA|425|0.035|90
        BRK.A|752000|0.009|0.0003
        BRK.B|501|0.009|4
        AVGO|382|0.030|25
        LLY|1030|0.020|4
        JPM|312|0.013|9
        V|332|0.012|7
        UNH|325|0.022|9
        XOM|117|0.014|15
        MA|548|0.012|3
        JNJ|205|0.010|8
        PG|148|0.010|8
        HD|352|0.014|4
        COST|910|0.013|2
        ABBV|228|0.015|6
        MRK|101|0.015|12
        ORCL|205|0.030|25
        CVX|152|0.014|8
        ADBE|335|0.020|4
        CRM|238|0.020|7
        KO|71|0.009|14
        PEP|148|0.011|7
        BAC|53|0.015|35
        WMT|108|0.012|20
        NFLX|107|0.022|40
        AMD|215|0.032|50
        TMO|585|0.015|2
        MCD|308|0.010|3
        CSCO|77|0.013|20
        ACN|250|0.017|3
        ABT|128|0.012|6
        LIN|420|0.011|2
        INTC|38|0.030|90
        WFC|85|0.015|15
        DIS|110|0.015|9
        TXN|165|0.019|7
        VZ|41|0.010|18
        INTU|650|0.019|2
        PFE|25|0.014|40
        AMGN|330|0.014|3
        NKE|63|0.020|12
        IBM|300|0.016|5
        QCOM|170|0.020|8
        CAT|560|0.017|3
        GE|295|0.018|6
        GS|800|0.016|2
        BA|195|0.020|8
        BKNG|5100|0.016|0.3
        T|25|0.011|35
        MS|165|0.016|6
        BLK|1050|0.014|1
        LMT|470|0.012|1.5
        AXP|360|0.015|3
        PLTR|170|0.040|60
        CRWD|500|0.028|3
        UBER|90|0.022|18
        SHOP|155|0.030|9
        COIN|270|0.045|10
        HOOD|120|0.045|35
        SOFI|27|0.040|60
        F|13|0.018|55
        GM|75|0.018|9
        TSM|290|0.022|13
        ASML|1000|0.022|1.5
        ARM|140|0.035|5
        SMCI|35|0.050|30
        MU|230|0.032|25
        DELL|125|0.028|7
        SPY|670|0.009|75
        QQQ|610|0.012|50
        IWM|240|0.014|35
        DIA|470|0.009|3
        VOO|615|0.009|7
        VTI|330|0.009|4
        IVV|675|0.009|6
        GLD|385|0.012|10
        SLV|50|0.022|30
        TLT|89|0.008|35
        XLF|53|0.011|40
        XLK|285|0.014|8
        XLE|90|0.013|15
        TQQQ|105|0.036|60
        """);

    private static Dictionary<string, Level> ParseLevels(string table) =>
        table.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('|'))
            .ToDictionary(p => p[0], p => new Level(decimal.Parse(p[1], CultureInfo.InvariantCulture), double.Parse(p[2], CultureInfo.InvariantCulture),
                (long)(double.Parse(p[3], CultureInfo.InvariantCulture) * 1_000_000)), StringComparer.Ordinal);

    private static List<Ticker> Parse(string table) =>
        table.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('|'))
            .Select(p => new Ticker(p[0], p[1], p[2], p[3]))
            .ToList();
}
