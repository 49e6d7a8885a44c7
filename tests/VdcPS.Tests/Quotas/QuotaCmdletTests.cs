using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.Json.Nodes;
using VdcPS.Commands;
using VdcPS.Models;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Quotas
{
    /// <summary>Get-VdcQuota and Set-VdcQuota hosted in-process against the fake cloud.</summary>
    public class QuotaCmdletTests : IDisposable
    {
        private const string Catalog =
            "api_version: vdcps/v1\n" +
            "currency: EUR\n" +
            "plans:\n" +
            "  vdc-small:\n" +
            "    display_name: Small\n" +
            "    prices:\n" +
            "      monthly_fee: 100.00\n" +
            "      setup_fee: 0\n" +
            "    quotas:\n" +
            "      compute:\n" +
            "        cores: {default: 4, min: 2, max: 8}\n" +
            "        ram: {default: 8192, min: 4096, max: 16384}\n" +
            "      network:\n" +
            "        router: {default: 1, min: 1, max: 2}\n";

        private readonly FakeCloud _cloud = new();
        private readonly string _catalogPath = Path.Combine(Path.GetTempPath(), $"vdcps-quota-test-{Guid.NewGuid():N}.yaml");
        private readonly Runspace _runspace;

        public QuotaCmdletTests()
        {
            File.WriteAllText(_catalogPath, Catalog);
            for (int i = 0; i < 8; i++)
            {
                string id = $"p-{20 + i}";
                _cloud.Projects[id] = new JsonObject { ["id"] = id, ["name"] = $"t{i}", ["domain_id"] = "default", ["enabled"] = true, ["description"] = "", ["vdcps_plan"] = "vdc-small", ["vdcps_state"] = "active", ["vdcps_activated_at"] = "2026-11-01T00:00:00Z" };
            }

            _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            _runspace.Open();
            Run($"Import-Module '{typeof(VdcCmdlet).Assembly.Location}'; $env:VDCPS_JOURNAL = Join-Path ([IO.Path]::GetTempPath()) 'vdcps-quota-test-journal.jsonl'");
            Run($"$secret = ConvertTo-SecureString 'pw' -AsPlainText -Force; Connect-VdcCloud -AuthUrl '{_cloud.AuthUrl}' -Credential ([pscredential]::new('admin', $secret)) -UserDomainId default -ProjectName admin -ProjectDomainId default -Region RegionOne | Out-Null");
        }

        public void Dispose()
        {
            _runspace.Dispose();
            _cloud.Dispose();
            File.Delete(_catalogPath);
        }

        private (Collection<PSObject> Output, List<ErrorRecord> Errors) Run(string script)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript(script);
            Collection<PSObject> output = ps.Invoke();
            return (output, ps.Streams.Error.ToList());
        }

        private const string Tenants = "$tenants = 0..7 | ForEach-Object { [VdcPS.Models.VdcTenant]@{ Id = \"p-$(20 + $_)\"; Name = \"t$_\"; Plan = 'vdc-small' } }; ";

        [Fact]
        public void Get_writes_rows_in_input_order_though_a_slow_tenant_is_read_first()
        {
            _cloud.DelayFor = r => r.Method == "GET" && r.Path.StartsWith("/compute/v2.1/os-quota-sets/p-20/") ? TimeSpan.FromMilliseconds(600) : TimeSpan.Zero;
            var (output, errors) = Run(Tenants + $"$tenants | Get-VdcQuota -CatalogPath '{_catalogPath}' -ThrottleLimit 4 -Resource cores, router");
            Assert.Empty(errors);
            var rows = output.Select(o => (VdcQuota)o.BaseObject).ToList();
            Assert.Equal(Enumerable.Range(0, 8).SelectMany(i => new[] { $"t{i} cores", $"t{i} router" }), rows.Select(r => $"{r.TenantName} {r.Resource}"));
            Assert.All(rows, r => Assert.Equal(r.Resource == "cores" ? "2..8" : "1..2", r.PlanRange));
        }

        [Fact]
        public void Get_keeps_at_most_throttle_limit_requests_in_flight_and_is_faster_than_one_at_a_time()
        {
            var arrivals = new List<DateTime>();
            var delay = TimeSpan.FromMilliseconds(250);
            _cloud.DelayFor = r =>
            {
                if (r.Method == "GET" && r.Path.Contains("/os-quota-sets/"))
                {
                    lock (arrivals)
                    {
                        arrivals.Add(DateTime.UtcNow);
                    }

                    return delay;
                }

                return TimeSpan.Zero;
            };
            string get = Tenants + $"$tenants | Get-VdcQuota -CatalogPath '{_catalogPath}' -Service compute -ThrottleLimit ";
            Run(get + "1"); // warm-up: microversion, connections
            arrivals.Clear();

            var serial = Stopwatch.StartNew();
            Assert.Equal(8 * 7, Run(get + "1").Output.Count);
            serial.Stop();
            List<DateTime> serialArrivals;
            lock (arrivals)
            {
                serialArrivals = arrivals.ToList();
                arrivals.Clear();
            }

            var parallel = Stopwatch.StartNew();
            Assert.Equal(8 * 7, Run(get + "4").Output.Count);
            parallel.Stop();

            Assert.Equal(1, MaxOverlap(serialArrivals, delay));
            Assert.InRange(MaxOverlap(arrivals, delay), 2, 4);
            Assert.True(parallel.Elapsed < serial.Elapsed * 0.75, $"throttle 4 took {parallel.Elapsed}, throttle 1 {serial.Elapsed}");
        }

        /// <summary>The most requests whose answer (delay after arrival) was still pending at any arrival.</summary>
        private static int MaxOverlap(List<DateTime> arrivals, TimeSpan delay)
        {
            var window = delay - TimeSpan.FromMilliseconds(30);
            return arrivals.Select(a => arrivals.Count(b => b <= a && a < b + window)).DefaultIfEmpty(0).Max();
        }

        [Fact]
        public void Get_for_every_tenant_exports_to_csv_with_one_header_and_the_same_columns_on_every_line()
        {
            _cloud.VolumeTypes.Add("__DEFAULT__");
            _cloud.Quotas["volume"]["p-20"] = new() { ["volumes___DEFAULT__"] = -1 };
            var (output, errors) = Run($"Get-VdcQuota -CatalogPath '{_catalogPath}' | ConvertTo-Csv -NoTypeInformation");
            Assert.Empty(errors);
            var lines = output.Select(o => o.ToString()!).ToList();
            Assert.Equal(1 + 8 * (7 + 10 + 9), lines.Count);
            Assert.StartsWith("\"TenantId\",\"TenantName\",\"Plan\",\"Service\",\"Resource\"", lines[0]);
            Assert.Single(lines, l => l.StartsWith("\"TenantId\""));
            int columns = Fields(lines[0]);
            Assert.Equal(17, columns);
            Assert.All(lines, l => Assert.Equal(columns, Fields(l)));
            Assert.Contains(lines, l => l.Contains("\"volumes___DEFAULT__\",\"count\",\"-1\",\"True\",\"unlimited\""));
        }

        /// <summary>Fields of one CSV line (commas outside quotes, "" inside quotes is a quote).</summary>
        private static int Fields(string line)
        {
            int fields = 1;
            bool quoted = false;
            foreach (char c in line)
            {
                if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (c == ',' && !quoted)
                {
                    fields++;
                }
            }

            return fields;
        }

        [Fact]
        public void Get_by_id_from_the_pipeline_and_by_wildcard_name()
        {
            var (byId, errors) = Run($"[pscustomobject]@{{ TenantId = 'p-23' }}, [pscustomobject]@{{ TenantId = 'p-nope' }} | Get-VdcQuota -CatalogPath '{_catalogPath}' -Service network -Resource router");
            Assert.Equal("t3", ((VdcQuota)Assert.Single(byId).BaseObject).TenantName);
            Assert.Equal("TenantNotFound", Assert.Single(errors).FullyQualifiedErrorId.Split(',')[0]);

            var (byName, _) = Run($"Get-VdcQuota -Name 't[12]' -CatalogPath '{_catalogPath}' -Service network -Resource router");
            Assert.Equal(new[] { "t1", "t2" }, byName.Select(o => ((VdcQuota)o.BaseObject).TenantName));
        }

        [Fact]
        public void Ctrl_C_stops_a_long_read_promptly()
        {
            Run($"Get-VdcQuota -Name t0 -CatalogPath '{_catalogPath}' -Service compute | Out-Null"); // warm-up
            _cloud.DelayFor = r => r.Method == "GET" && r.Path.Contains("/os-quota-sets/") ? TimeSpan.FromSeconds(10) : TimeSpan.Zero;
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript($"Get-VdcQuota -CatalogPath '{_catalogPath}' -ThrottleLimit 2");
            IAsyncResult pending = ps.BeginInvoke();
            System.Threading.Thread.Sleep(500);
            var clock = Stopwatch.StartNew();
            ps.Stop();
            Assert.ThrowsAny<PipelineStoppedException>(() => ps.EndInvoke(pending));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stopped after {clock.Elapsed}");
        }

        [Fact]
        public void Set_with_WhatIf_sends_nothing()
        {
            _cloud.Log.Clear();
            var (_, errors) = Run($"Set-VdcQuota -Name t1 -Cores 6 -Routers 2 -CatalogPath '{_catalogPath}' -WhatIf");
            Assert.Empty(errors);
            Assert.DoesNotContain(_cloud.Log, l => l.StartsWith("PUT") || l.StartsWith("POST /v3/limits"));
        }

        [Fact]
        public void Set_refuses_each_violation_with_its_own_error_and_changes_nothing()
        {
            _cloud.InUse["compute"]["p-21"] = new() { ["ram"] = 6000 };
            _cloud.Log.Clear();
            var (output, errors) = Run($"Set-VdcQuota -Name t1 -Cores 9 -RamMB 4096 -Quota @{{ 'network.router' = 0; metadata_items = 5 }} -CatalogPath '{_catalogPath}' -PassThru");
            Assert.Empty(output);
            Assert.Equal(
                new[] { "QuotaBelowUsage", "QuotaOutOfPlan", "QuotaOutOfPlan", "QuotaOutOfPlan" },
                errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]).OrderBy(x => x));
            Assert.All(errors, e => Assert.Equal("t1", e.TargetObject));
            Assert.DoesNotContain(_cloud.Log, l => l.StartsWith("PUT"));
        }

        [Fact]
        public void Set_writes_reads_back_and_passes_the_new_rows_through()
        {
            var (output, errors) = Run($"Get-VdcTenant -Name t2 | Set-VdcQuota -Cores 6 -Quota @{{ router = 2 }} -CatalogPath '{_catalogPath}' -PassThru -Confirm:$false");
            Assert.Empty(errors);
            Assert.Equal(new[] { "cores=6", "router=2" }, output.Select(o => (VdcQuota)o.BaseObject).Select(r => $"{r.Resource}={r.Limit}"));
            Assert.Equal(6, _cloud.Quotas["compute"]["p-22"]["cores"]);
            Assert.Equal(2, _cloud.Quotas["network"]["p-22"]["router"]);
        }

        [Fact]
        public void Set_with_an_unknown_key_stops_before_reading_anything()
        {
            _cloud.Log.Clear();
            var (_, errors) = Run($"Set-VdcQuota -Name t1 -Quota @{{ nonsense = 1 }} -CatalogPath '{_catalogPath}'");
            Assert.Equal("QuotaInputInvalid", Assert.Single(errors).FullyQualifiedErrorId.Split(',')[0]);
            Assert.DoesNotContain(_cloud.Log, l => l.Contains("quota"));
        }
    }
}
