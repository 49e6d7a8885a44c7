#Requires -Version 7.2
<#
    Get-VdcUsage: the parameter contract (Unit) and, against the lab (Lab), a month of seeded usage:
    3,000 instances over 300 projects plus one project with 1,500 instances (more than a page), checked
    against the seeder's independently computed hours and against `openstack usage list` at compute
    microversion 2.40; a Nova that cannot page (2.39, through a small rewriting proxy) is refused;
    Gnocchi usage of a few seeded instances and a volume. Everything seeded is removed in AfterAll.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
}

Describe 'Get-VdcUsage' -Tag Unit {
    It 'has the documented parameters, sets and output type' {
        $command = Get-Command Get-VdcUsage
        $own = $command.Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters }
        Compare-Object @($own | Sort-Object) @('Context', 'Detailed', 'End', 'GnocchiMetric', 'Id', 'ManagedOnly', 'Name', 'Source', 'Start', 'ThrottleLimit') | Should -BeNullOrEmpty
        $command.DefaultParameterSet | Should -Be 'Name'
        $command.Parameters.Id.Aliases | Should -Be @('TenantId', 'ProjectId')
        $id = $command.Parameters.Id.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
        $id.ValueFromPipelineByPropertyName | Should -Not -Contain $false
        @($id | Where-Object ParameterSetName -eq 'Id').Mandatory | Should -BeTrue
        # a CSV Name column binds (Import-Csv names.csv | Get-VdcUsage); a piped Id wins over a Name
        @($id | Where-Object ParameterSetName -eq 'Name').Mandatory | Should -BeFalse
        ($command.Parameters.Name.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }).ValueFromPipelineByPropertyName | Should -BeTrue
        ($command.Parameters.Source.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }).ValidValues | Should -Be @('Nova', 'Gnocchi', 'All')
        $command.OutputType.Name | Should -Be 'VdcPS.Models.VdcUsageRecord'
    }

    It 'reads nothing, not the whole cloud, when the pipeline brings no tenant' {
        Get-VdcContext -ListAvailable | Disconnect-VdcCloud -ErrorAction SilentlyContinue
        @() | Get-VdcUsage -ErrorAction Stop | Should -BeNullOrEmpty
    }

    It 'refuses -Name and -Id together on the command line (UsageInputInvalid)' {
        $e = { Get-VdcUsage -Name a -Id b } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -Be 'UsageInputInvalid,VdcPS.Commands.GetVdcUsageCommand'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'binds piped objects by TenantId and fails with NoVdcContext without a connection' {
        Get-VdcContext -ListAvailable | Disconnect-VdcCloud -ErrorAction SilentlyContinue
        $e = { [pscustomobject]@{ TenantId = 'x' } | Get-VdcUsage } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'NoVdcContext,*'
    }
}

Describe 'Get-VdcUsage against the lab' -Tag Lab {
    BeforeAll {
        $script:Python = '/usr/bin/python3'
        $script:Seeder = Join-Path $RepoRoot 'tests/lab/seed-usage.py'
        # An old month that the other suites do not seed: every row in it is ours.
        $script:Month = '2024-02'
        $script:From = [datetime]'2024-02-01'
        $script:To = [datetime]'2024-03-01'
        $script:Cleanup = [Collections.Generic.List[string]]::new()

        function Invoke-Seeder {
            param([Parameter(Mandatory)] [string[]] $ArgumentList, [string] $InputText)
            $err = [IO.Path]::GetTempFileName()
            try {
                $out = if ($InputText) { $InputText | & $Python $Seeder --lab $LabDir @ArgumentList 2> $err } else { & $Python $Seeder --lab $LabDir @ArgumentList 2> $err }
                if ($LASTEXITCODE -ne 0) { throw "seed-usage.py $($ArgumentList -join ' ') failed: $(Get-Content -Raw $err)" }
                return ($out -join "`n") | ConvertFrom-Json -AsHashtable
            }
            finally { Remove-Item $err -ErrorAction SilentlyContinue }
        }

        # 3,000 instances over 300 projects, and one project with 1,500 (more servers than a page of 1,000).
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $script:Many = Invoke-Seeder @('--generate', '3000', '--projects', '300', '--month', $Month, '--seed', '7301', '--create-projects')
        $Many.project_ids | ForEach-Object { $Cleanup.Add($_) }
        $script:Big = Invoke-Seeder @('--generate', '1500', '--projects', '1', '--month', $Month, '--seed', '7302', '--create-projects')
        $Big.project_ids | ForEach-Object { $Cleanup.Add($_) }
        $script:BigId = @($Big.project_ids)[0]
        Write-Host "    seeded 4,500 instances over 301 projects in $([int]$watch.Elapsed.TotalSeconds) s"

        # what each project should show: the seeder's own arithmetic, from the lifetimes alone
        $script:Expected = @{}
        foreach ($run in $Many, $Big) {
            foreach ($p in $run.by_project.GetEnumerator()) { $Expected[$p.Key] = $p.Value }
        }

        Initialize-TestLab -NoCatalog -NoJournal
        $watch.Restart()
        $script:All = @(Get-VdcUsage -Start $From -End $To -Source Nova)
        $script:AllSeconds = $watch.Elapsed.TotalSeconds
        Write-Host "    Get-VdcUsage, whole cloud: $($All.Count) rows in $([Math]::Round($AllSeconds, 2)) s"

        function Get-ByTenant([object[]] $Rows) {
            $by = @{}
            foreach ($r in $Rows | Where-Object { -not $_.IsDetail }) {
                if (-not $by.ContainsKey($r.TenantId)) { $by[$r.TenantId] = @{} }
                $by[$r.TenantId][$r.Resource] = $r.Quantity
            }
            return $by
        }
        $script:AllByTenant = Get-ByTenant $All

        function Get-Mismatches([hashtable] $ByTenant, [string[]] $Ids) {
            $bad = [Collections.Generic.List[string]]::new()
            foreach ($id in $Ids) {
                $want = $Expected[$id]
                $got = $ByTenant[$id]
                if (-not $got) { $bad.Add("$id missing"); continue }
                # the seeder's floats are whole hours (exact); VdcPS's decimals must equal them exactly
                if ($got['instance-hour'] -ne [decimal]$want.instance_hours) { $bad.Add("$id instance-hour $($got['instance-hour']) <> $($want.instance_hours)") }
                if ($got['vcpu-hour'] -ne [decimal]$want.vcpu_hours) { $bad.Add("$id vcpu-hour $($got['vcpu-hour']) <> $($want.vcpu_hours)") }
                if ($got['ram-gb-hour'] -ne [decimal]$want.ram_mb_hours / 1024) { $bad.Add("$id ram-gb-hour $($got['ram-gb-hour']) <> $($want.ram_mb_hours)/1024") }
                if ($got['disk-gb-hour'] -ne [decimal]$want.disk_gb_hours) { $bad.Add("$id disk-gb-hour $($got['disk-gb-hour']) <> $($want.disk_gb_hours)") }
            }
            return , $bad
        }
    }

    AfterAll {
        if ($Cleanup.Count) { Invoke-Seeder @('--clear-project', ($Cleanup -join ',')) | Out-Null }
        if ($script:Proxy -and -not $Proxy.HasExited) { Stop-Process -Id $Proxy.Id -ErrorAction SilentlyContinue }
        Get-VdcContext -ListAvailable | Disconnect-VdcCloud -ErrorAction SilentlyContinue
        Clear-TestLab
    }

    It 'counts every instance-hour the seeder put in, per project and in total' {
        ($Many.instances + $Big.instances) | Should -Be 4500
        $Expected.Count | Should -BeGreaterOrEqual 300
        $ids = [string[]]$Expected.Keys
        Get-Mismatches $AllByTenant $ids | Should -BeNullOrEmpty

        $servers = ($Expected.Values | Measure-Object -Property servers -Sum).Sum
        $servers | Should -BeGreaterThan 3000
        $wantHours = [decimal]$Many.totals.instance_hours + [decimal]$Big.totals.instance_hours
        $gotHours = ($All | Where-Object { $_.TenantId -in $ids -and $_.Resource -eq 'instance-hour' } | Measure-Object Quantity -Sum).Sum
        [decimal]$gotHours | Should -Be $wantHours
        # names from Keystone, every row of the period asked for, unmanaged projects with an empty plan
        $row = $All | Where-Object TenantId -eq $BigId | Select-Object -First 1
        $row.TenantName | Should -Be $Big.project_names[$BigId]
        $row.Plan | Should -Be ''
        $row.PeriodStart | Should -Be ([datetime]::new(2024, 2, 1, 0, 0, 0, [DateTimeKind]::Utc))
        $row.PeriodEnd.Kind | Should -Be 'Utc'
        $row.Source | Should -Be 'nova'
    }

    It 'equals openstack usage list at microversion 2.40 for every seeded project' {
        $json = & openstack --os-cloud vdcps-lab --os-compute-api-version 2.40 usage list --start 2024-02-01 --end 2024-03-01 -f json 2>$null
        $LASTEXITCODE | Should -Be 0
        $cli = @{}
        foreach ($r in ($json -join "`n") | ConvertFrom-Json) {
            # a project whose servers span two pages can appear twice: add the rows up
            if (-not $cli.ContainsKey($r.Project)) { $cli[$r.Project] = @{ servers = 0; cpu = [decimal]0; ram = [decimal]0; disk = [decimal]0; hours = [decimal]0 } }
            $c = $cli[$r.Project]
            $c.servers += @($r.Servers).Count
            $c.hours += [decimal](@($r.Servers) | Measure-Object hours -Sum).Sum
            $c.cpu += [decimal]$r.'CPU Hours'
            $c.ram += [decimal]$r.'RAM MB-Hours'
            $c.disk += [decimal]$r.'Disk GB-Hours'
        }
        $bad = foreach ($id in $Expected.Keys) {
            $c = $cli[$id]; $v = $AllByTenant[$id]
            if (-not $c) { "$id missing from the CLI"; continue }
            if ($c.servers -ne $Expected[$id].servers) { "$id servers $($c.servers) <> $($Expected[$id].servers)" }
            if ($c.hours -ne $v['instance-hour']) { "$id hours $($c.hours) <> $($v['instance-hour'])" }
            if ($c.cpu -ne $v['vcpu-hour']) { "$id cpu $($c.cpu) <> $($v['vcpu-hour'])" }
            if ($c.ram -ne $v['ram-gb-hour'] * 1024) { "$id ram $($c.ram) <> $($v['ram-gb-hour'])*1024" }
            if ($c.disk -ne $v['disk-gb-hour']) { "$id disk $($c.disk) <> $($v['disk-gb-hour'])" }
        }
        $bad | Should -BeNullOrEmpty
    }

    It 'reads the project with more servers than a page both ways: in the walk and on its own' {
        $Expected[$BigId].servers | Should -BeGreaterThan 1000
        $own = @(Get-VdcUsage -Id $BigId -Start $From -End $To -Source Nova -Detailed)
        $byTenant = Get-ByTenant $own
        Get-Mismatches $byTenant @($BigId) | Should -BeNullOrEmpty
        # every server once, its four rows adding up to the tenant's totals
        $detail = @($own | Where-Object IsDetail)
        @($detail.ServerId | Sort-Object -Unique).Count | Should -Be $Expected[$BigId].servers
        foreach ($resource in 'instance-hour', 'vcpu-hour', 'ram-gb-hour', 'disk-gb-hour') {
            ($detail | Where-Object Resource -eq $resource | Measure-Object Quantity -Sum).Sum | Should -Be $byTenant[$BigId][$resource]
        }
    }

    It 'gives the same rows for the tenants piped from Get-VdcTenant' {
        $tenants = @(Get-VdcTenant -Name 'vdcps-seed7301-*' -IncludeUnmanaged)
        $tenants.Count | Should -Be 300
        $piped = @($tenants | Get-VdcUsage -Start $From -End $To -Source Nova)
        @($piped.TenantId | Sort-Object -Unique).Count | Should -Be 300
        $walk = $All | Where-Object TenantId -in $tenants.Id
        # the same tenants, resources and quantities; a tenant without usage has zero rows
        $idle = @($tenants.Id | Where-Object { -not $Expected.ContainsKey($_) })
        $piped.Count | Should -Be ($walk.Count + 4 * $idle.Count)
        $key = { "$($_.TenantId)|$($_.Resource)|$($_.Quantity)" }
        Compare-Object @($walk | ForEach-Object $key) @($piped | Where-Object TenantId -notin $idle | ForEach-Object $key) | Should -BeNullOrEmpty
        # ordered by tenant name, then resource
        $names = @($piped | ForEach-Object TenantName)
        $names | Should -Be @($names | Sort-Object)
    }

    It 'refuses when Nova cannot page (microversion 2.39) instead of reporting 1,000 servers' {
        $proxyScript = Join-Path $TestDrive 'old-nova.py'
        @'
import http.client, http.server, re, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        c = http.client.HTTPConnection("127.0.0.1", 8774, timeout=120)
        c.request("GET", self.path, headers={k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")})
        r = c.getresponse(); body = r.read()
        if self.path.rstrip("/") in ("", "/v2.1"):   # a Nova whose newest microversion is 2.39 (before paging)
            body = re.sub(rb'"version": "2\.\d+"', b'"version": "2.39"', body)
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("content-length", "connection", "transfer-encoding"): self.send_header(k, v)
        self.send_header("Content-Length", str(len(body))); self.send_header("Connection", "close"); self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
'@ | Set-Content $proxyScript
        $portFile = Join-Path $TestDrive 'port.txt'
        $script:Proxy = Start-Process -FilePath $Python -ArgumentList $proxyScript -RedirectStandardOutput $portFile -PassThru
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        while (-not (Get-Content $portFile -ErrorAction SilentlyContinue) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $port = (Get-Content $portFile | Select-Object -First 1).Trim()

        $old = Connect-VdcCloud -Cloud vdcps-lab -Name old-nova -NoSetCurrent -EndpointOverride @{ compute = "http://127.0.0.1:$port/v2.1" }
        $old.ComputeMicroversions | Should -BeLike '*-2.39'
        $rows = $null
        $e = { $script:rows = Get-VdcUsage -Context $old -Start $From -End $To -Source Nova } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'UsageTruncated,*'
        $e.Exception.Message | Should -BeLike '*1000 servers*2.39*'
        $script:rows | Should -BeNullOrEmpty

        # one tenant with fewer servers than the cap is still exact without paging
        $small = [string]($Expected.Keys | Where-Object { $_ -ne $BigId } | Select-Object -First 1)
        $oneRows = @(Get-VdcUsage -Context $old -Id $small -Start $From -End $To -Source Nova)
        Get-Mismatches (Get-ByTenant $oneRows) $small | Should -BeNullOrEmpty
        # while the big one, on its own, is refused for that tenant only
        Get-VdcUsage -Context $old -Id $BigId, $small -Start $From -End $To -Source Nova -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UsageTruncated,*'
        Stop-Process -Id $Proxy.Id
    }

    It 'reads Gnocchi: the same compute hours as Nova, and volume GB-hours' {
        $p1 = [guid]::NewGuid().ToString('N'); $p2 = [guid]::NewGuid().ToString('N')
        $Cleanup.Add($p1); $Cleanup.Add($p2)
        $instances = @(
            @{ project_id = $p1; name = 'g-1'; flavor = @{ name = 'm1.small'; vcpus = 1; memory_mb = 2048; root_gb = 20 }; launched_at = '2026-08-20T00:00:00Z'; terminated_at = $null }
            @{ project_id = $p1; name = 'g-2'; flavor = @{ name = 'm1.medium'; vcpus = 2; memory_mb = 4096; root_gb = 40 }; launched_at = '2026-09-10T05:00:00Z'; terminated_at = '2026-09-12T17:00:00Z' }
            @{ project_id = $p2; name = 'g-3'; flavor = @{ name = 'm1.large'; vcpus = 4; memory_mb = 8192; root_gb = 80 }; launched_at = '2026-09-29T00:00:00Z'; terminated_at = '2026-10-02T00:00:00Z' }
        ) | ConvertTo-Json -Depth 5
        $seeded = Invoke-Seeder @('-', '--month', '2026-09', '--gnocchi') -InputText $instances

        # a volume of 50 GB for 100 hours in project 1, posted to Gnocchi directly
        $token = (& openstack --os-cloud vdcps-lab token issue -f value -c id).Trim()
        $headers = @{ 'X-Auth-Token' = $token; Accept = 'application/json, */*' }
        $volume = [guid]::NewGuid().ToString()
        $body = @{ id = $volume; project_id = $p1; user_id = 'vdcps-seed'; started_at = '2026-09-05T00:00:00'; display_name = 'v-1'
            metrics = @{ 'volume.size' = @{ archive_policy_name = 'billing-hourly' } } } | ConvertTo-Json -Depth 4
        Invoke-RestMethod -Method Post -Uri http://127.0.0.1:8041/v1/resource/volume -Headers $headers -ContentType 'application/json' -Body $body | Out-Null
        $measures = 0..99 | ForEach-Object { @{ timestamp = ([datetime]'2026-09-05T00:00:00Z').ToUniversalTime().AddHours($_).ToString('yyyy-MM-ddTHH:mm:ss+00:00'); value = 50 } }
        Invoke-RestMethod -Method Post -Uri "http://127.0.0.1:8041/v1/resource/volume/$volume/metric/volume.size/measures" -Headers $headers -ContentType 'application/json' -Body (ConvertTo-Json @($measures)) | Out-Null

        # metricd aggregates a few seconds later
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        do {
            Start-Sleep -Seconds 2
            $rows = @(Get-VdcUsage -Id $p1, $p2 -Start 2026-09-01 -Source All -GnocchiMetric @{ 'floating-ip-hour' = $null } -WarningAction SilentlyContinue)
            $volumeRow = $rows | Where-Object { $_.TenantId -eq $p1 -and $_.Resource -eq 'volume-gb-hour' }
            $gnocchiHours = ($rows | Where-Object { $_.Source -eq 'gnocchi' -and $_.Resource -eq 'instance-hour' } | Measure-Object Quantity -Sum).Sum
        } until (($volumeRow.Quantity -eq 5000 -and $gnocchiHours -eq $seeded.totals.instance_hours) -or [DateTime]::UtcNow -gt $deadline)

        $volumeRow.Quantity | Should -Be 5000
        $volumeRow.Source | Should -Be 'gnocchi'
        foreach ($id in $p1, $p2) {
            foreach ($resource in 'instance-hour', 'vcpu-hour', 'ram-gb-hour') {
                $nova = ($rows | Where-Object { $_.TenantId -eq $id -and $_.Resource -eq $resource -and $_.Source -eq 'nova' }).Quantity
                $gnocchi = ($rows | Where-Object { $_.TenantId -eq $id -and $_.Resource -eq $resource -and $_.Source -eq 'gnocchi' }).Quantity
                $gnocchi | Should -Be $nova -Because "$resource of $id"
            }
        }
        ($rows | Where-Object { $_.TenantId -eq $p1 -and $_.Resource -eq 'vcpu-hour' -and $_.Source -eq 'nova' }).Quantity | Should -Be $seeded.by_project[$p1].vcpu_hours
        # by default Gnocchi adds only what Nova does not report (the lab has Ceilometer's network type since issue 13)
        $default = @(Get-VdcUsage -Id $p2 -Start 2026-09-01 -WarningAction SilentlyContinue)
        @($default | Where-Object Source -eq 'gnocchi').Resource | Should -Be @('floating-ip-hour', 'snapshot-gb-hour', 'volume-gb-hour')
    }

    It 'exports flat rows and its table fits 120 columns' {
        $rows = $All | Select-Object -First 8
        $csv = $rows | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $csv.Count | Should -Be 8
        $csv[0].PSObject.Properties.Name | Should -Be @('TenantId', 'TenantName', 'CustomerId', 'Plan', 'PeriodStart', 'PeriodEnd', 'Resource', 'VolumeType', 'Quantity', 'Unit', 'Source', 'IsDetail', 'ServerId', 'ServerName', 'Flavor', 'Cloud')
        $lines = $rows | Format-Table | Out-String -Width 120 -Stream
        ($lines | Measure-Object Length -Maximum).Maximum | Should -BeLessOrEqual 120
        ($lines -join "`n") | Should -Match '2024-02-01/2024-03-01'
    }

    It 'defaults to the previous calendar month and refuses an empty period' {
        $now = [DateTime]::UtcNow
        $first = [DateTime]::new($now.Year, $now.Month, 1, 0, 0, 0, [DateTimeKind]::Utc)
        $rows = @(Get-VdcUsage -Id $BigId -Source Nova)
        $rows.Count | Should -Be 4
        $rows[0].PeriodStart | Should -Be $first.AddMonths(-1)
        $rows[0].PeriodEnd | Should -Be $first
        $e = { Get-VdcUsage -Start 2024-03-01 -End 2024-02-01 } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'UsagePeriodInvalid,*'
    }
}
