using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using VdcPS.Billing;
using VdcPS.Models;

namespace VdcPS.Commands
{
    /// <summary>Writes the documents of each invoice (CSV: lines and summary; or HTML) into a folder, independent of the current culture.</summary>
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

                // CSV: the lines file and its summary file (the sums), written together or not at all
                var documents = new List<(string Name, string Text, System.Text.Encoding Encoding)>();
                if (Format == VdcInvoiceFormat.Html)
                {
                    documents.Add((InvoiceDocument.FileName(invoice, Format), InvoiceDocument.Html(invoice), InvoiceDocument.HtmlEncoding));
                }
                else
                {
                    documents.Add((InvoiceDocument.FileName(invoice, Format), InvoiceDocument.Csv(invoice), InvoiceDocument.CsvEncoding));
                    documents.Add((InvoiceDocument.SummaryFileName(invoice), InvoiceDocument.SummaryCsv(invoice), InvoiceDocument.CsvEncoding));
                }

                string name = documents[0].Name;
                if (!_written.Add(name))
                {
                    WriteError(new InvalidOperationException($"Two invoices of this run map to the same file '{name}' (customer ids that differ only in characters not allowed in file names): the second one is not written."),
                        BillingErrorIds.InvoiceFileConflict, ErrorCategory.ResourceExists, invoice.CustomerId);
                    continue;
                }

                string[] files = documents.Select(d => System.IO.Path.Combine(_folder, d.Name)).ToArray();
                string? existing = files.FirstOrDefault(File.Exists);
                if (existing != null && !Force)
                {
                    WriteError(new IOException($"The file '{existing}' exists. Use -Force to overwrite it."),
                        BillingErrorIds.InvoiceFileExists, ErrorCategory.ResourceExists, existing, "Use -Force, or another -Path.");
                    continue;
                }

                if (!ShouldProcess(string.Join("', '", files), $"Write the {Format} invoice of customer '{invoice.CustomerId}' for {InvoiceDocument.PeriodText(invoice, false)} ({invoice.Currency})"))
                {
                    continue;
                }

                var temporary = new List<string>();
                try
                {
                    Directory.CreateDirectory(_folder);

                    // every document to a temporary file first: a failure leaves no half-written invoice
                    for (int i = 0; i < documents.Count; i++)
                    {
                        string temp = files[i] + ".tmp-" + Guid.NewGuid().ToString("N");
                        temporary.Add(temp);
                        File.WriteAllText(temp, documents[i].Text, documents[i].Encoding);
                    }

                    for (int i = 0; i < documents.Count; i++)
                    {
                        if (File.Exists(files[i]))
                        {
                            File.Delete(files[i]);
                        }

                        File.Move(temporary[i], files[i]);
                    }

                    WriteVerbose($"Wrote '{string.Join("', '", files)}': {invoice.LineCount} lines, total {Money.Format(invoice.Total)} {invoice.Currency}.");
                    foreach (string file in files)
                    {
                        WriteObject(new FileInfo(file));
                    }
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    foreach (string temp in temporary)
                    {
                        try
                        {
                            File.Delete(temp);
                        }
                        catch (Exception cleanup) when (cleanup is IOException || cleanup is UnauthorizedAccessException)
                        {
                            // best effort: the error below names the file that failed
                        }
                    }

                    WriteError(e, BillingErrorIds.InvoiceWriteFailed, e is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError, files[0]);
                }
            }
        }
    }
}
