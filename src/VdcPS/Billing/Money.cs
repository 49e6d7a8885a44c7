using System;
using System.Collections.Generic;
using System.Globalization;

namespace VdcPS.Billing
{
    /// <summary>
    /// Money rules of the rating: the minor unit of each currency (ISO 4217) and the one rounding
    /// rule, half away from zero to the minor unit, applied once per invoice line.
    /// </summary>
    internal static class Money
    {
        // ISO 4217 list one, "minor unit" column, for the codes CurrencyCodes accepts. Every
        // other accepted code has 2.
        private static readonly Dictionary<string, int> NotTwo = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["BIF"] = 0, ["CLP"] = 0, ["DJF"] = 0, ["GNF"] = 0, ["ISK"] = 0, ["JPY"] = 0, ["KMF"] = 0, ["KRW"] = 0,
            ["PYG"] = 0, ["RWF"] = 0, ["UGX"] = 0, ["VND"] = 0, ["VUV"] = 0, ["XAF"] = 0, ["XOF"] = 0, ["XPF"] = 0,
            ["BHD"] = 3, ["IQD"] = 3, ["JOD"] = 3, ["KWD"] = 3, ["LYD"] = 3, ["OMR"] = 3, ["TND"] = 3,
        };

        /// <summary>Decimal places of the currency's minor unit: 2 for EUR and USD, 0 for JPY, 3 for KWD.</summary>
        public static int MinorUnits(string currency)
            => NotTwo.TryGetValue((currency ?? string.Empty).Trim().ToUpperInvariant(), out int digits) ? digits : 2;

        /// <summary>
        /// <paramref name="value"/> rounded half away from zero to the currency's minor unit, with
        /// exactly that many decimal places (149 becomes 149.00), so it prints the same everywhere.
        /// </summary>
        public static decimal Round(decimal value, string currency)
        {
            int digits = MinorUnits(currency);
            return WithScale(Math.Round(value, digits, MidpointRounding.AwayFromZero), digits);
        }

        /// <summary>A price for information (a daily share of a monthly fee): at most 6 decimals, at least the minor unit's.</summary>
        public static decimal Price(decimal value, string currency)
        {
            decimal rounded = Math.Round(value, 6, MidpointRounding.AwayFromZero);
            return WithScale(Normalize(rounded), MinorUnits(currency));
        }

        /// <summary>The value without trailing zeros (1.500 becomes 1.5).</summary>
        public static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;

        /// <summary>The value with at least <paramref name="digits"/> decimal places (adding zero keeps the larger scale).</summary>
        public static decimal WithScale(decimal value, int digits)
            => value + new decimal(0, 0, 0, false, (byte)Math.Max(0, Math.Min(28, digits)));

        /// <summary>Invariant text of a money value, as the invoice documents print it.</summary>
        public static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
