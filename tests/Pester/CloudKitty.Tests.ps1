# CloudKitty and VdcPS rate the same seeded Gnocchi usage and agree, per tenant and unit, to the cent.
#
# Two vdc-payg tenants get a few servers over a short window of today (whole hours, ending at least two
# hours ago, because CloudKitty's processor rates up to now - 2 h). CloudKitty gets hashmap rules equal
# to the plan's rates (flat per unit: vcpus -> vcpu-hour, memory in GiB -> ram-gb-hour, instance ->
# instance-hour); its user gets the `rating` role on both projects, their CloudKitty scopes are set to
# start an hour before the window (else the processor walks every hour since the 1st of the month),
# and the processor is restarted so that it rates at once.
# Then Get-VdcCloudKittyCharge is compared with Get-VdcUsage -Source Gnocchi | Measure-VdcCharge, and
# both with the seeder's own totals. Everything created is removed in AfterAll (hashmap services,
# the hashmap module's previous state, seeded Nova/Gnocchi rows, projects and users).
#
# VDCPS_CK_WAIT_SECONDS bounds the wait for the processor (default 240). When it has not covered the
# whole window by then, the comparison runs over the hours it did rate, and says so.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Context = Initialize-TestLab -NoCatalog -PassThru
    $script:Ck = $Context.RatingEndpoint.AbsoluteUri.TrimEnd('/')
    $script:Token = (Invoke-OpenStackRaw token issue -f value -c id | Select-Object -First 1).Trim()
    $script:CreatedServices = [System.Collections.Generic.List[string]]::new()
    $script:Tenants = @()
    $script:HashmapWasEnabled = $true
    $script:Seeder = Join-Path $RepoRoot 'tests/lab/seed-usage.py'
    $script:Wait = if ($env:VDCPS_CK_WAIT_SECONDS) { [int]$env:VDCPS_CK_WAIT_SECONDS } else { 240 }
    $script:Log = [System.Collections.Generic.List[string]]::new()

    function Invoke-Ck([string] $Method, [string] $Path, $Body) {
        $request = @{
            Method = $Method; Uri = "$Ck$Path"; Headers = @{ 'X-Auth-Token' = $Token; Accept = 'application/json' }   # v1 answers XML to 'application/json, */*'
            MaximumRedirection = 0; SkipHttpErrorCheck = $true; StatusCodeVariable = 'status'; ErrorAction = 'SilentlyContinue'
        }
        if ($null -ne $Body) { $request.Body = $Body | ConvertTo-Json -Depth 6 -Compress; $request.ContentType = 'application/json' }
        $result = Invoke-RestMethod @request
        # PUT /v1/rating/modules/hashmap answers 302 (and acts): not followed, not an error
        if ($status -ge 400 -or $status -eq 0) { throw "CloudKitty $Method $Path -> $status $($result | ConvertTo-Json -Compress -Depth 4)" }
        return $result
    }

    function Write-Step([string] $Text) {
        $line = '{0:HH:mm:ss} {1}' -f [datetime]::UtcNow, $Text
        $Log.Add($line)
        Write-Host "    $line"
    }

    # The window: whole hours of today, ending two hours before the current hour, at most 8 hours long,
    # never before the 1st of the month (where CloudKitty starts new scopes).
    $now = [datetime]::UtcNow
    $script:WindowEnd = [datetime]::new($now.Year, $now.Month, $now.Day, $now.Hour, 0, 0, [DateTimeKind]::Utc).AddHours(-2)
    $monthStart = [datetime]::new($now.Year, $now.Month, 1, 0, 0, 0, [DateTimeKind]::Utc)
    $script:WindowStart = @($WindowEnd.AddHours(-8), $monthStart) | Sort-Object | Select-Object -Last 1
    $script:WindowHours = [int]($WindowEnd - $WindowStart).TotalHours
    if ($WindowHours -lt 3) {
        $script:SkipReason = "it is $($now.ToString('u')): less than 3 rated hours of this month exist yet"
        return
    }

    # The plan's rates, from the sample catalog
    $script:Rates = @{}
    foreach ($pair in (Get-VdcPlan vdc-payg -CatalogPath $SampleCatalog).Rates -split '; ') {
        $unit, $price = $pair -split '='
        $Rates[$unit] = [decimal]::Parse($price, [cultureinfo]::InvariantCulture)
    }

    # 1. two vdc-payg tenants
    foreach ($n in 1, 2) {
        $name = New-TestTenantName 'ck'
        $Tenants += New-VdcTenant -Name $name -Plan vdc-payg -CustomerId ("CK-$n-" + $name.Substring(3)) -CatalogPath $SampleCatalog
    }
    $script:Ids = @($Tenants.Id)
    Write-Step "tenants $($Tenants.Name -join ', '); window $($WindowStart.ToString('s'))Z .. $($WindowEnd.ToString('s'))Z ($WindowHours h)"

    # 2. servers inside the window (whole hours), seeded into Nova and Gnocchi
    function At([int] $Hours) { $WindowStart.AddHours($Hours).ToString('yyyy-MM-ddTHH:mm:ssZ') }
    $h = $WindowHours
    $instances = @(
        @{ project_id = $Ids[0]; name = 'ck-a1'; flavor = @{ name = 'm1.small'; vcpus = 1; memory_mb = 2048; root_gb = 20 }; launched_at = (At 0); terminated_at = (At $h) }
        @{ project_id = $Ids[0]; name = 'ck-a2'; flavor = @{ name = 'm1.medium'; vcpus = 2; memory_mb = 4096; root_gb = 40 }; launched_at = (At 1); terminated_at = (At ($h - 2)) }
        @{ project_id = $Ids[1]; name = 'ck-b1'; flavor = @{ name = 'm1.large'; vcpus = 4; memory_mb = 8192; root_gb = 80 }; launched_at = (At 2); terminated_at = (At $h) }
        @{ project_id = $Ids[1]; name = 'ck-b2'; flavor = @{ name = 'm1.tiny'; vcpus = 1; memory_mb = 512; root_gb = 1 }; launched_at = (At 0); terminated_at = (At 3) }
        @{ project_id = $Ids[0]; name = 'ck-a3'; flavor = @{ name = 'c1.highcpu'; vcpus = 16; memory_mb = 16384; root_gb = 40 }; launched_at = (At 1); terminated_at = (At $h) }
        @{ project_id = $Ids[1]; name = 'ck-b3'; flavor = @{ name = 'm1.xlarge'; vcpus = 8; memory_mb = 16384; root_gb = 160 }; launched_at = (At 2); terminated_at = (At $h) }
    )
    $instancesFile = Join-Path ([IO.Path]::GetTempPath()) "vdcps-ck-$([guid]::NewGuid()).json"
    # one volume per tenant, written as Ceilometer writes volume.size (a "volume" resource, hourly gauge in GB)
    $volumes = @(
        @{ project_id = $Ids[0]; name = 'ck-vol-a'; size_gb = 100; created_at = (At 0); deleted_at = (At $h) }
        @{ project_id = $Ids[1]; name = 'ck-vol-b'; size_gb = 30; created_at = (At 1); deleted_at = (At ($h - 1)) }
    )
    @{ instances = $instances; volumes = $volumes } | ConvertTo-Json -Depth 5 | Set-Content $instancesFile
    $seedArgs = @($Seeder, $instancesFile, '--start', $WindowStart.ToString('yyyy-MM-ddTHH:mm:ssZ'), '--end', $WindowEnd.ToString('yyyy-MM-ddTHH:mm:ssZ'), '--gnocchi', '--lab', $LabDir)
    $seeded = & /usr/bin/python3 @seedArgs 2>$null
    if ($LASTEXITCODE -ne 0) { throw "seed-usage.py failed ($LASTEXITCODE)" }
    Remove-Item $instancesFile
    $script:Expected = ($seeded -join "`n") | ConvertFrom-Json
    Write-Step "seeded $($Expected.instances) servers, $($Expected.gnocchi_measures) Gnocchi measures"

    # 3. CloudKitty: hashmap module on, one flat mapping per metric type at the plan's rate
    $module = Invoke-Ck GET /v1/rating/modules/hashmap
    $script:HashmapWasEnabled = [bool]$module.enabled
    if (-not $HashmapWasEnabled) { $null = Invoke-Ck PUT /v1/rating/modules/hashmap @{ module_id = 'hashmap'; enabled = $true } }
    # every unit both rate on the lab: CloudKitty's metrics.yml has vcpus, memory, cpu (instance) and volume.size
    $script:RuleUnits = [ordered]@{ vcpus = 'vcpu-hour'; memory = 'ram-gb-hour'; instance = 'instance-hour'; 'volume.size' = 'volume-gb-hour' }
    $existing = (Invoke-Ck GET /v1/rating/module_config/hashmap/services).services
    foreach ($type in $RuleUnits.Keys) {
        if ($existing.name -contains $type) {
            throw "CloudKitty already has a hashmap service '$type' (rules of someone else): this test does not change them. Remove it or run the test on a fresh lab."
        }
        $service = Invoke-Ck POST /v1/rating/module_config/hashmap/services @{ name = $type }
        $CreatedServices.Add($service.service_id)
        $cost = $Rates[$RuleUnits[$type]].ToString([cultureinfo]::InvariantCulture)
        $null = Invoke-Ck POST /v1/rating/module_config/hashmap/mappings @{ service_id = $service.service_id; type = 'flat'; cost = $cost }
    }
    Write-Step "hashmap: vcpus $($Rates['vcpu-hour']), memory $($Rates['ram-gb-hour']) per GiB, instance $($Rates['instance-hour']), volume.size $($Rates['volume-gb-hour']) per GiB"

    # 4. Start CloudKitty's scopes of the two new projects one hour before the window, through
    #    CloudKitty's own StateManager and the lab's config (as the metering lab's seed.sh back-dates
    #    scopes): new scopes otherwise start on the 1st of the month and the processor walks every
    #    empty hour since then (about 200 s for two scopes late in a month, on 2 busy cores). The
    #    projects are minutes old, so nothing is skipped. If this fails, the bounded wait still applies.
    $ckConf = Join-Path $LabDir 'etc/cloudkitty/cloudkitty.conf'
    $fastForward = @'
import sys, datetime as dt
from cloudkitty import service
service.prepare_service(["vdcps-test", "--config-file", sys.argv[1]])
from cloudkitty import storage_state
sm = storage_state.StateManager()
start = dt.datetime.fromisoformat(sys.argv[2])
for pid in sys.argv[3:]:
    if sm.get_last_processed_timestamp(pid) is None:
        sm.set_last_processed_timestamp(pid, start)
    print(pid, sm.get_last_processed_timestamp(pid))
'@
    $out = $fastForward | & /usr/bin/python3 - $ckConf $WindowStart.AddHours(-1).ToString('yyyy-MM-ddTHH:mm:ss') @Ids 2>$null
    Write-Step ("scopes start at " + $(if ($LASTEXITCODE -eq 0) { "$($WindowStart.AddHours(-1).ToString('s'))Z (+1 h)" } else { 'the 1st of the month (fast-forward failed)' }))

    # 5. rating role for CloudKitty's user, then a processor pass right now
    foreach ($id in $Ids) { $null = Invoke-OpenStackRaw role add --user cloudkitty --user-domain default --project $id rating }
    $null = & bash (Join-Path $RepoRoot 'tests/lab/lab.sh') restart-processor 2>&1
    Write-Step 'rating role granted, processor restarted'

    # 6. wait (bounded) until CloudKitty has rated the window for both projects
    $deadline = [datetime]::UtcNow.AddSeconds($Wait)
    $lastPeriod = $WindowEnd.AddHours(-1)
    do {
        Start-Sleep -Seconds 5
        $states = foreach ($id in $Ids) {
            # 404 until the processor has seen the project
            $scope = try { (Invoke-Ck GET "/v2/scope?scope_id=$id").results | Select-Object -First 1 } catch { $null }
            if ($scope -and $scope.last_processed_timestamp) { [datetime]::Parse($scope.last_processed_timestamp, [cultureinfo]::InvariantCulture, 'AdjustToUniversal') } else { [datetime]::MinValue }
        }
        $covered = ($states | Measure-Object -Minimum).Minimum
    } while ($covered -lt $lastPeriod -and [datetime]::UtcNow -lt $deadline)
    # last_processed_timestamp is the start of the last rated hour
    $script:RatedEnd = if ($covered -ge $lastPeriod) { $WindowEnd } elseif ($covered -gt $WindowStart) { $covered.AddHours(1) } else { $WindowStart }
    Write-Step "CloudKitty rated up to $(($states | ForEach-Object { $_.ToString('s') }) -join ', ') (start of the last hour); comparing $($WindowStart.ToString('s'))Z .. $($RatedEnd.ToString('s'))Z"
    if ($RatedEnd -lt $WindowEnd) {
        Write-Warning "CloudKitty rated only $([int]($RatedEnd - $WindowStart).TotalHours) of $WindowHours hours within $Wait s: the comparison covers those hours."
    }
}

AfterAll {
    if ($SkipReason) { return }
    foreach ($id in $CreatedServices) { try { $null = Invoke-Ck DELETE "/v1/rating/module_config/hashmap/services/$id" } catch { Write-Warning $_ } }
    if (-not $HashmapWasEnabled) { try { $null = Invoke-Ck PUT /v1/rating/modules/hashmap @{ module_id = 'hashmap'; enabled = $false } } catch { Write-Warning $_ } }
    if ($Ids) { $null = & /usr/bin/python3 $Seeder --clear-project ($Ids -join ',') --keep-projects --lab $LabDir 2>&1 }
    foreach ($t in $Tenants) { Remove-TestProject $t.Name }
    Clear-TestLab
}

Describe 'CloudKitty and VdcPS rate the same Gnocchi usage' -Tag Lab {
    BeforeAll {
        if ($SkipReason) { return }
        $script:Hours = [int]($RatedEnd - $WindowStart).TotalHours
        if ($Hours -gt 0) {
            $script:Theirs = @(Get-VdcCloudKittyCharge -Start $WindowStart -End $RatedEnd -TenantId $Ids -CatalogPath $SampleCatalog)
            # (the lab has no floating IPs in Gnocchi: Get-VdcUsage warns about that unit)
            $usage = Get-VdcUsage -Id $Ids -Start $WindowStart -End $RatedEnd -Source Gnocchi -WarningAction SilentlyContinue
            $script:Usage = @($usage | Where-Object { -not $_.IsDetail })
            $script:Ours = @($usage | Measure-VdcCharge -Tenant (Get-VdcTenant -Id $Ids) -Start $WindowStart -End $RatedEnd -CatalogPath $SampleCatalog |
                Where-Object { $_.ChargeType -eq 'PayPerUse' -and $_.Unit -in $RuleUnits.Values })
            foreach ($l in $Theirs + $Ours) {
                Write-Host ('    {0,-10} {1,-18} {2,-14} {3,8} x {4,-8} = {5,6} {6}' -f $l.Source, $l.TenantName, $l.Unit, $l.Quantity, $l.UnitPrice, $l.Amount, $l.Currency)
            }
        }
    }

    It 'CloudKitty rated at least part of the window' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        $Hours | Should -BeGreaterThan 0 -Because "the processor must rate something within $Wait s ($($Log -join ' | '))"
    }

    It 'gives the same quantity and amount per tenant and unit, to the cent' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        $Theirs.Count | Should -Be 8 -Because 'CloudKitty rates vcpus, memory, instance and volume.size for two projects'
        $Ours.Count | Should -Be 8
        foreach ($t in $Theirs) {
            $o = @($Ours | Where-Object { $_.TenantId -eq $t.TenantId -and $_.Unit -eq $t.Unit })
            $o.Count | Should -Be 1 -Because "VdcPS has a $($t.Unit) line for $($t.TenantName)"
            $t.Quantity | Should -Be $o[0].Quantity -Because "$($t.TenantName) $($t.Unit) quantity"
            $t.Amount | Should -Be $o[0].Amount -Because "$($t.TenantName) $($t.Unit) amount"
            $t.Currency | Should -Be 'EUR'
            $t.CustomerId | Should -Be $o[0].CustomerId
            $t.Source | Should -Be 'cloudkitty'
        }
        ($Theirs | ConvertTo-VdcInvoice).Total | Should -Be ($Ours | ConvertTo-VdcInvoice).Total
    }

    It 'agrees with the seeder''s own totals (an oracle independent of both)' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        if ($RatedEnd -lt $WindowEnd) { Set-ItResult -Inconclusive -Because 'the seeder counts the whole window, CloudKitty rated only part of it'; return }
        foreach ($id in $Ids) {
            $e = $Expected.by_project.$id
            $want = @{
                'vcpu-hour'     = [decimal]$e.vcpu_hours
                'ram-gb-hour'   = [decimal]$e.ram_mb_hours / 1024
                'instance-hour' = [decimal]$e.instance_hours
                'volume-gb-hour' = [decimal]$e.volume_gb_hours
            }
            foreach ($unit in $want.Keys) {
                $t = $Theirs | Where-Object { $_.TenantId -eq $id -and $_.Unit -eq $unit }
                $t.Quantity | Should -Be $want[$unit] -Because "CloudKitty's $unit of $id"
                $t.Amount | Should -Be ([math]::Round($want[$unit] * $Rates[$unit], 2, [MidpointRounding]::AwayFromZero))
            }
        }
    }
}
