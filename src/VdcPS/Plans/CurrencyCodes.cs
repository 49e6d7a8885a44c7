using System;
using System.Collections.Generic;

namespace VdcPS.Plans
{
    /// <summary>
    /// The ISO 4217 codes of the currencies in circulation (list one of the standard, as of 2025),
    /// without the fund codes (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW), precious metals
    /// (XAG, XAU, XPD, XPT), bond-market units (XBA-XBD), XDR, XSU, XUA, and the test and
    /// "no currency" codes (XTS, XXX): nobody invoices a VDC in those. Withdrawn codes get a
    /// message naming their successor.
    /// </summary>
    internal static class CurrencyCodes
    {
        private static readonly HashSet<string> Active = new HashSet<string>(StringComparer.Ordinal)
        {
            "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN",
            "BAM", "BBD", "BDT", "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
            "CAD", "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK",
            "DJF", "DKK", "DOP", "DZD",
            "EGP", "ERN", "ETB", "EUR",
            "FJD", "FKP",
            "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD",
            "HKD", "HNL", "HTG", "HUF",
            "IDR", "ILS", "INR", "IQD", "IRR", "ISK",
            "JMD", "JOD", "JPY",
            "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT",
            "LAK", "LBP", "LKR", "LRD", "LSL", "LYD",
            "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN",
            "NAD", "NGN", "NIO", "NOK", "NPR", "NZD",
            "OMR",
            "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG",
            "QAR",
            "RON", "RSD", "RUB", "RWF",
            "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL",
            "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS",
            "UAH", "UGX", "USD", "UYU", "UZS",
            "VED", "VES", "VND", "VUV",
            "WST",
            "XAF", "XCD", "XCG", "XOF", "XPF",
            "YER",
            "ZAR", "ZMW", "ZWG",
        };

        private static readonly Dictionary<string, string> Withdrawn = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HRK"] = "Croatia uses EUR since 2023",
            ["LTL"] = "Lithuania uses EUR since 2015",
            ["LVL"] = "Latvia uses EUR since 2014",
            ["EEK"] = "Estonia uses EUR since 2011",
            ["SKK"] = "Slovakia uses EUR since 2009",
            ["DEM"] = "Germany uses EUR",
            ["FRF"] = "France uses EUR",
            ["ITL"] = "Italy uses EUR",
            ["ESP"] = "Spain uses EUR",
            ["NLG"] = "the Netherlands use EUR",
            ["ATS"] = "Austria uses EUR",
            ["BEF"] = "Belgium uses EUR",
            ["ANG"] = "Curaçao and Sint Maarten use XCG since 2025",
            ["CUC"] = "Cuba uses CUP only since 2021",
            ["SLL"] = "Sierra Leone uses SLE",
            ["ZWL"] = "Zimbabwe uses ZWG since 2024",
            ["HRD"] = "Croatia uses EUR since 2023",
            ["VEF"] = "Venezuela uses VES (and VED)",
            ["MRO"] = "Mauritania uses MRU since 2018",
            ["STD"] = "São Tomé and Príncipe uses STN since 2018",
            ["BYR"] = "Belarus uses BYN since 2016",
        };

        // Common ways people write a currency that is not its code.
        private static readonly Dictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["€"] = "EUR", ["EURO"] = "EUR", ["EUROS"] = "EUR",
            ["$"] = "USD", ["US$"] = "USD", ["DOLLAR"] = "USD",
            ["£"] = "GBP", ["POUND"] = "GBP", ["UKP"] = "GBP",
            ["FR."] = "CHF", ["SFR"] = "CHF", ["CHFR"] = "CHF",
            ["¥"] = "JPY", ["YEN"] = "JPY", ["RMB"] = "CNY", ["YUAN"] = "CNY",
        };

        public static bool IsKnown(string code) => Active.Contains(code);

        /// <summary>Why <paramref name="code"/> is not usable, with the fix. Call only when <see cref="IsKnown"/> is false.</summary>
        public static string Explain(string code)
        {
            string trimmed = code.Trim();
            if (Active.Contains(trimmed.ToUpperInvariant()))
            {
                return $"'{code}' must be written as the ISO 4217 code in capital letters: '{trimmed.ToUpperInvariant()}'.";
            }

            if (Withdrawn.TryGetValue(trimmed.ToUpperInvariant(), out string? successor))
            {
                return $"'{code}' is a withdrawn ISO 4217 currency code ({successor}).";
            }

            if (Aliases.TryGetValue(trimmed, out string? iso))
            {
                return $"'{code}' is not an ISO 4217 currency code; write '{iso}'.";
            }

            return $"'{code}' is not an ISO 4217 currency code. Write the three capital letters of the currency, for example EUR, USD, GBP or CHF.";
        }
    }
}
