// The error type of the AkkaQuotes client: what the server answered a request with, or the same refusal made locally.

/** An error the server answered a request with: `code` is the protocol's (SYMBOL_LIMIT, INVALID_SYMBOL, …). */
export class QuotesError extends Error {
  /**
   * @param {string} code       the protocol's error code, or CLOSED / TIMEOUT for the client's own
   * @param {string} message
   * @param {string[]} [symbols] the symbols the error is about, when it names any
   */
  constructor(code, message, symbols) {
    super(message);
    this.name = 'QuotesError';
    /** @type {string} */
    this.code = code;
    /** @type {string[]} */
    this.symbols = symbols ?? [];
  }
}
