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
        private readonly HashSet<string> _unreadable = new HashSet<string>(System.StringComparer.Ordinal);
        private int _rows;

        /// <summary>Charge lines (Measure-VdcCharge, Get-VdcCloudKittyCharge).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "Charge lines from Measure-VdcCharge or Get-VdcCloudKittyCharge")]
        [AllowEmptyCollection]
        [ChargeLineRows]
        public VdcChargeLine[]? InputObject { get; set; }

        protected override void ProcessRecord()
        {
            if (InputObject == null)
            {
                return;
            }

            foreach (VdcChargeLine line in InputObject.Where(l => l != null))
            {
                _rows++;
                InputRowProblem? problem = InputRows.ProblemOf(line);
                if (problem != null)
                {
                    // an invoice without one of its lines would be wrong: the customer's invoice is not made
                    _unreadable.Add(line.CustomerId ?? string.Empty);
                    WriteError(new System.FormatException($"{problem.Message(_rows)} The line is not read, and no invoice is made for customer '{line.CustomerId}'."),
                        problem.Id, ErrorCategory.InvalidData, $"row {_rows}",
                        "Write the value as about_VdcPS_Billing describes (section 'Files that round-trip'), or export and import in the same culture.");
                    continue;
                }

                _lines.Add(line);
            }
        }

        protected override void EndProcessing()
        {
            foreach (VdcInvoice invoice in InvoiceBuilder.Build(_lines.Where(l => !_unreadable.Contains(l.CustomerId ?? string.Empty))))
            {
                WriteObject(invoice);
            }
        }
    }
}
