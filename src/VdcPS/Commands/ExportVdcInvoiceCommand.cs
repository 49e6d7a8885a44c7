using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using VdcPS.Billing;
using VdcPS.Models;

namespace VdcPS.Commands
{
    /// <summary>Writes one document per invoice (CSV or HTML) into a folder, independent of the current culture.</summary>
    [Cmdlet(VerbsData.Export, "VdcInvoice", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportVdcInvoiceCommand : VdcCmdlet
    {
        private readonly HashSet<string> _written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private string? _folder;

        /// <summary>Invoices from ConvertTo-VdcInvoice.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, HelpMessage = "Invoices from ConvertTo-VdcInvoice")]
        [ValidateNotNull]
        public VdcInvoice[]? InputObject { get; set; }

        /// <summary>The folder to write the documents to; created when missing.</summary>
        [Parameter(Mandatory = true, Position = 0, HelpMessage = "The folder to write the invoice documents to")]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Csv (default) or Html.</summary>
        [Parameter]
        public VdcInvoiceFormat Format { get; set; } = VdcInvoiceFormat.Csv;

        /// <summary>Overwrite documents that exist.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            _folder ??= GetUnresolvedProviderPathFromPSPath(Path);
            foreach (VdcInvoice invoice in InputObject!)
            {
                if (invoice == null)
                {
                    continue;
                }

                string name = InvoiceDocument.FileName(invoice, Format);
                string file = System.IO.Path.Combine(_folder, name);
                if (!_written.Add(name))
                {
                    WriteError(new InvalidOperationException($"Two invoices of this run map to the same file '{name}' (customer ids that differ only in characters not allowed in file names): the second one is not written."),
                        BillingErrorIds.InvoiceFileConflict, ErrorCategory.ResourceExists, invoice.CustomerId);
                    continue;
                }

                if (File.Exists(file) && !Force)
                {
                    WriteError(new IOException($"The file '{file}' exists. Use -Force to overwrite it."),
                        BillingErrorIds.InvoiceFileExists, ErrorCategory.ResourceExists, file, "Use -Force, or another -Path.");
                    continue;
                }

                if (!ShouldProcess(file, $"Write the {Format} invoice of customer '{invoice.CustomerId}' for {InvoiceDocument.PeriodText(invoice, false)} ({invoice.Currency})"))
                {
                    continue;
                }

                try
                {
                    Directory.CreateDirectory(_folder);
                    if (Format == VdcInvoiceFormat.Html)
                    {
                        File.WriteAllText(file, InvoiceDocument.Html(invoice), InvoiceDocument.HtmlEncoding);
                    }
                    else
                    {
                        File.WriteAllText(file, InvoiceDocument.Csv(invoice), InvoiceDocument.CsvEncoding);
                    }

                    WriteVerbose($"Wrote '{file}': {invoice.LineCount} lines, total {Money.Format(invoice.Total)} {invoice.Currency}.");
                    WriteObject(new FileInfo(file));
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    WriteError(e, BillingErrorIds.InvoiceWriteFailed, e is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError, file);
                }
            }
        }
    }
}
