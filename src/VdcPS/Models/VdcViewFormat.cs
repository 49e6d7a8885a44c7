using System.Globalization;

namespace VdcPS.Models
{
    /// <summary>
    /// How the default table views (VdcPS.format.ps1xml) print numbers, so that a column has one scale:
    /// money with its currency's minor unit (149.00 EUR, 1500 JPY, 1.250 KWD), unit prices with 6 decimals,
    /// quantities with 4. Only the views use it; objects, Export-Csv and the pipeline keep the exact values.
    /// </summary>
    public static class VdcViewFormat
    {
        /// <summary>An amount rounded half away from zero to the currency's minor unit, in the current culture.</summary>
        public static string Money(decimal amount, string currency)
        {
            int digits = Billing.Money.MinorUnits(currency);
            return Billing.Money.Round(amount, currency).ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.CurrentCulture);
        }

        /// <summary>A unit price: 6 decimals (the most a VdcPS price carries).</summary>
        public static string UnitPrice(decimal price) => price.ToString("F6", CultureInfo.CurrentCulture);

        /// <summary>A quantity: 4 decimals (0.0001 hour is 0.36 seconds).</summary>
        public static string Quantity(decimal quantity) => quantity.ToString("F4", CultureInfo.CurrentCulture);
    }
}
