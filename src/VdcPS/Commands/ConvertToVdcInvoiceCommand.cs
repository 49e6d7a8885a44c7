using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VdcPS.Billing;
using VdcPS.Models;

namespace VdcPS.Commands
{
    /// <summary>Groups charge lines into one invoice per customer, period and currency, with subtotals per charge type.</summary>
    [Cmdlet(VerbsData.ConvertTo, "VdcInvoice")]
    [OutputType(typeof(VdcInvoice))]
    public sealed class ConvertToVdcInvoiceCommand : VdcCmdlet
    {
        private readonly List<VdcChargeLine> _lines = new List<VdcChargeLine>();

        /// <summary>Charge lines (Measure-VdcCharge, Get-VdcCloudKittyCharge).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "Charge lines from Measure-VdcCharge or Get-VdcCloudKittyCharge")]
        [AllowEmptyCollection]
        public VdcChargeLine[]? InputObject { get; set; }

        protected override void ProcessRecord()
        {
            if (InputObject != null)
            {
                _lines.AddRange(InputObject.Where(l => l != null));
            }
        }

        protected override void EndProcessing()
        {
            foreach (VdcInvoice invoice in InvoiceBuilder.Build(_lines))
            {
                WriteObject(invoice);
            }
        }
    }
}
