/**
 * The alphabetic codes of ISO 4217 list one that name a currency or a fund a price can be given in.
 * Left out on purpose: precious metals (XAU, XAG, XPD, XPT), bond-market units (XBA to XBD), the
 * SDR (XDR), XSU, XUA, and the codes for testing (XTS) and for no currency (XXX).
 *
 * NOTE: ISO amends this list a few times a year. The list below is the one in force in 2025: it has
 * XCG, VED and ZWG, and not the withdrawn HRK, CUC, SLL and ZWL. A code added later is rejected as
 * `invalid_currency` until it is added here.
 */
export const ISO_4217_CODES: ReadonlySet<string> = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN ' +
    'BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ' +
    'ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD ' +
    'JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT ' +
    'MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG ' +
    'QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT ' +
    'TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG XOF ' +
    'XPF YER ZAR ZMW ZWG'
  ).split(' '),
);

/**
 * Normalizes a currency code as senders write it (` Usd `, `eur`) to ISO 4217 uppercase.
 * Returns undefined when the text is not a code of ISO_4217_CODES.
 */
export function normalizeCurrency(raw: string): string | undefined {
  const code = raw.trim().toUpperCase();
  return ISO_4217_CODES.has(code) ? code : undefined;
}
