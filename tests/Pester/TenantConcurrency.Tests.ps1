#pester-serial: leaves a deliberately damaged tenant record in the cloud, which every whole-cloud listing would meet
# Two runbooks, one tenant (issue 14): concurrent changes of one tenant take turns under the tenant's
# lease (or the loser fails with TenantBusy and changes nothing); a damaged tenant record is reported
# by name and never read as if nothing were wrong. The multi-process test runs several pwsh processes
# with random changes against a few tenants and checks the end state with the openstack CLI.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    Initialize-TestLab -NoJournal -NoConnect

    function Get-JournalEntries([string] $Path) {
        if (-not (Test-Path $Path)) { return @() }
        @(Get-Content $Path | Where-Object { $_ } | ForEach-Object { $_ | ConvertFrom-Json -AsHashtable })
    }
    function Get-LeaseGroups {
        @(Invoke-OpenStack group list --domain default | Where-Object Name -like 'vdcps-lease-*')
    }
}
AfterAll { Clear-TestLab }

Describe 'Two Set-VdcQuota calls on one tenant at the same time' -Tag Lab {
    BeforeAll {
        Initialize-TestLab -NoCatalog
        $script:journal = $env:VDCPS_JOURNAL
        $faultProxy = Start-FaultProxy
        $script:proxy = $faultProxy.Process; $script:base = $faultProxy.Base
        $script:name = New-TestTenantName 'lost'
        $script:tenant = New-VdcTenant -Name $name -Plan vdc-small -CustomerId C-LOST -CatalogPath $SampleCatalog
    }
    AfterAll {
        if ($proxy) { Stop-Process -Id $proxy.Id -ErrorAction SilentlyContinue }
        Remove-TestProject $name
        Clear-TestLab
    }

    It 'ends in a state one of them reported, and neither blames unified limits' {
        (Get-OscQuota $tenant.Id)['compute.cores'] | Should -Be 4
        # Every compute quota write is held 2 s, so the two runs surely overlap.
        $rule = @{ method = 'PUT'; path = '^/compute/v2.1/os-quota-sets/'; nth = 1; times = 10; action = 'delay'; delay = 2 }
        Invoke-RestMethod -Method Put "$base/__faults" -ContentType 'application/json' -Body (ConvertTo-Json @($rule)) | Out-Null
        try {
            $jobs = foreach ($cores in 6, 7) {
                Start-ThreadJob -ArgumentList $cores, $ModulePath, $base, $name, $journal, $SampleCatalog -ScriptBlock {
                    param($cores, $modulePath, $b, $name, $journal, $catalog)
                    $env:VDCPS_JOURNAL = $journal
                    Import-Module $modulePath
                    $cred = [pscredential]::new('admin', (ConvertTo-SecureString 'secret' -AsPlainText -Force))
                    Connect-VdcCloud -AuthUrl "$b/identity/v3" -Credential $cred -ProjectName admin -EndpointOverride @{
                        compute = "$b/compute/v2.1"; 'block-storage' = "$b/volume/v3/%(project_id)s"; network = "$b/network" } | Out-Null
                    $rows = Set-VdcQuota -Name $name -Cores $cores -CatalogPath $catalog -PassThru -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
                    [pscustomobject]@{
                        Cores = $cores
                        Reported = ($rows | Where-Object Resource -eq 'cores').Limit
                        Error = if ($err) { $err[0].FullyQualifiedErrorId } else { '' }
                        Message = if ($err) { $err[0].Exception.Message } else { '' }
                    }
                }
            }
            $results = @($jobs | Wait-Job -Timeout 120 | Receive-Job)
            $jobs | Remove-Job -Force
        }
        finally {
            Invoke-RestMethod -Method Delete "$base/__faults" | Out-Null
        }

        $results.Count | Should -Be 2
        $results.Message | Where-Object { $_ } | ForEach-Object { $_ | Should -Not -Match 'unified limits' }
        $succeeded = @($results | Where-Object { -not $_.Error })
        $succeeded.Count | Should -BeGreaterThan 0
        foreach ($r in $results | Where-Object Error) { $r.Error | Should -BeLike 'TenantBusy,*' }
        $final = (Get-OscQuota $tenant.Id)['compute.cores']
        $final | Should -BeIn @($succeeded.Reported)
        # ... and it is the value of the change the journal lists last.
        $changes = @(Get-JournalEntries $journal | Where-Object { $_.target -eq $name -and $_.outcome -eq 'Changed' })
        $changes.Count | Should -Be $succeeded.Count
        $changes[-1].after.'compute.cores' | Should -Be $final
        @(Get-LeaseGroups | Where-Object Name -eq "vdcps-lease-$($tenant.Id)").Count | Should -Be 0
    }
}

Describe 'A tenant whose record was damaged by hand' -Tag Lab {
    BeforeAll {
        Initialize-TestLab -NoCatalog
        $script:journal = $env:VDCPS_JOURNAL
        $script:prefix = New-TestTenantName 'dmg'
        $script:good = New-VdcTenant -Name "$prefix-good" -Plan vdc-small -CustomerId C-DMG -CatalogPath $SampleCatalog
        $script:bad = New-VdcTenant -Name "$prefix-bad" -Plan vdc-small -CustomerId C-DMG -CatalogPath $SampleCatalog
        Invoke-OpenStackRaw project set --property 'vdcps_history=[{"at": "2026-11-01T09:00:00Z", "event": "activ' $bad.Id | Out-Null
        $now = [datetime]::UtcNow
        $script:monthStart = [datetime]::new($now.Year, $now.Month, 1, 0, 0, 0, [DateTimeKind]::Utc)
    }
    AfterAll {
        Remove-TestProject "$prefix-good"
        Remove-TestProject "$prefix-bad"
        Clear-TestLab
    }

    It 'Get-VdcTenant reports it by name and field, and lists the others' {
        $listed = Get-VdcTenant -Name "$prefix-*" -ErrorVariable err -ErrorAction SilentlyContinue
        @($listed).Name | Should -Be @("$prefix-good")
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantRecordDamaged,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $err[0].TargetObject | Should -Be "$prefix-bad"
        $err[0].Exception.Message | Should -Match "'$prefix-bad'.*vdcps_history"
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'openstack project set --property vdcps_history='
    }

    It 'Measure-VdcCharge reports it, does not rate it, and still rates the others' {
        $lines = Measure-VdcCharge -Start $monthStart -End $monthStart.AddMonths(1) -CatalogPath $SampleCatalog -ErrorVariable err -ErrorAction SilentlyContinue
        @($lines | Where-Object TenantId -eq $bad.Id).Count | Should -Be 0
        @($lines | Where-Object TenantId -eq $good.Id).ChargeType | Should -Contain 'MonthlyFee'
        $mine = @($err | Where-Object TargetObject -eq "$prefix-bad")
        $mine.Count | Should -Be 1
        $mine[0].FullyQualifiedErrorId | Should -BeLike 'TenantRecordDamaged,*'
        $mine[0].Exception.Message | Should -Match 'vdcps_history'
    }

    It 'every change refuses it with TenantRecordDamaged and changes nothing' {
        Suspend-VdcTenant -Name "$prefix-bad" -Confirm:$false -ErrorVariable e1 -ErrorAction SilentlyContinue
        Set-VdcQuota -Name "$prefix-bad" -Cores 6 -CatalogPath $SampleCatalog -Confirm:$false -ErrorVariable e2 -ErrorAction SilentlyContinue
        Set-VdcTenant -Name "$prefix-bad" -Plan vdc-payg -CatalogPath $SampleCatalog -Confirm:$false -ErrorVariable e3 -ErrorAction SilentlyContinue
        foreach ($e in $e1, $e2, $e3) { $e[0].FullyQualifiedErrorId | Should -BeLike 'TenantRecordDamaged,*' }
        $p = Invoke-OpenStack project show $bad.Id
        $p.enabled | Should -BeTrue
        $p.vdcps_plan | Should -Be 'vdc-small'
        $p.vdcps_history | Should -Be '[{"at": "2026-11-01T09:00:00Z", "event": "activ'
        (Get-OscQuota $bad.Id)['compute.cores'] | Should -Be 4
        @(Get-JournalEntries $journal | Where-Object { $_.target -eq "$prefix-bad" -and $_.outcome -notin 'Created', 'Failed' }).Count | Should -Be 0
    }
}

Describe 'Several processes change a few tenants at random' -Tag Lab {
    BeforeAll {
        Initialize-TestLab -NoCatalog
        $script:journal = $env:VDCPS_JOURNAL
        $script:prefix = New-TestTenantName 'mp'
        $script:tenants = foreach ($i in 1..3) { New-VdcTenant -Name "$prefix-$i" -Plan vdc-small -CustomerId C-MP -CatalogPath $SampleCatalog }
        $script:initialQuotas = @{}
        foreach ($t in $tenants) { $initialQuotas[$t.Name] = Get-OscQuota $t.Id }
        $script:workDir = Join-Path ([IO.Path]::GetTempPath()) "vdcps-mp-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        New-Item -ItemType Directory $workDir | Out-Null
    }
    AfterAll {
        foreach ($i in 1..3) { Remove-TestProject "$prefix-$i" }
        Remove-Item $workDir -Recurse -Force -ErrorAction SilentlyContinue
        Clear-TestLab
    }

    It 'ends with every tenant as the journal''s last successful change left it, nothing half-made' {
        $workers = 3
        $seconds = 20
        $minOps = 4
        # One worker: random quota changes, plan changes, suspensions and resumptions until its time is up;
        # one JSON line per operation with what the cmdlet reported.
        $worker = @'
param($ModulePath, $Clouds, $Journal, $Catalog, $Names, $Seconds, $MinOps, $Out, $Seed)
$ErrorActionPreference = 'Continue'
$env:OS_CLIENT_CONFIG_FILE = $Clouds
$env:VDCPS_JOURNAL = $Journal
$env:VDCPS_LEASE_WAIT = '3'
$Names = @($Names -split ',')
Import-Module $ModulePath
Connect-VdcCloud -Cloud vdcps-lab | Out-Null
$random = [Random]::new($Seed)
# the time runs from here (a fresh pwsh needs a few seconds to load the module and connect)
$stop = [datetime]::UtcNow.AddSeconds($Seconds)
$done = 0
# until the time is up, and at least $MinOps operations (a slow cloud must not make the test vacuous)
while ([datetime]::UtcNow -lt $stop -or $done -lt $MinOps) {
    $done++
    $name = $Names[$random.Next($Names.Count)]
    $op = @('Quota', 'Plan', 'Suspend', 'Resume')[$random.Next(4)]
    $value = switch ($op) { 'Quota' { 2 + $random.Next(7) } 'Plan' { @('vdc-small', 'vdc-payg')[$random.Next(2)] } default { '' } }
    $err = $null; $warn = $null
    $verbose = switch ($op) {
        'Quota'   { Set-VdcQuota -Name $name -Cores $value -CatalogPath $Catalog -Confirm:$false -Verbose -ErrorVariable err -WarningVariable warn -ErrorAction SilentlyContinue -WarningAction SilentlyContinue 4>&1 }
        'Plan'    { Set-VdcTenant -Name $name -Plan $value -CatalogPath $Catalog -Confirm:$false -Verbose -ErrorVariable err -WarningVariable warn -ErrorAction SilentlyContinue -WarningAction SilentlyContinue 4>&1 }
        'Suspend' { Suspend-VdcTenant -Name $name -Confirm:$false -Verbose -ErrorVariable err -WarningVariable warn -ErrorAction SilentlyContinue -WarningAction SilentlyContinue 4>&1 }
        'Resume'  { Resume-VdcTenant -Name $name -Confirm:$false -Verbose -ErrorVariable err -WarningVariable warn -ErrorAction SilentlyContinue -WarningAction SilentlyContinue 4>&1 }
    }
    $said = (@($verbose | ForEach-Object { "$_" }) + @($warn | ForEach-Object { "$_" })) -join "`n"
    $outcome = if ($err) { ($err[0].FullyQualifiedErrorId -split ',')[0] }
               elseif ($said -match 'nothing (was changed|to change)') { 'NoOp' }
               else { 'Success' }
    [pscustomobject]@{ Tenant = $name; Op = $op; Value = "$value"; Outcome = $outcome; Message = if ($err) { $err[0].Exception.Message } else { '' } } |
        ConvertTo-Json -Compress | Add-Content -Path $Out
}
'@
        $script = Join-Path $workDir 'worker.ps1'
        Set-Content -Path $script -Value $worker
        $pwsh = Get-PwshInvocation
        $names = @($tenants.Name)
        $procs = foreach ($w in 1..$workers) {
            $out = Join-Path $workDir "worker-$w.jsonl"
            $argList = $pwsh.Prefix + @('-NoProfile', '-NonInteractive', '-File', $script,
                '-ModulePath', $ModulePath, '-Clouds', $LabClouds, '-Journal', $journal, '-Catalog', $SampleCatalog,
                '-Names', ($names -join ','), '-Seconds', $seconds, '-MinOps', $minOps, '-Out', $out, '-Seed', (1000 + $w))
            Start-Process -FilePath $pwsh.File -ArgumentList $argList -PassThru -RedirectStandardError (Join-Path $workDir "worker-$w.err") -RedirectStandardOutput (Join-Path $workDir "worker-$w.out")
        }
        foreach ($p in $procs) { $p.WaitForExit(180000) | Should -BeTrue -Because 'a worker must finish' }

        $ops = @(Get-ChildItem $workDir -Filter 'worker-*.jsonl' | ForEach-Object { Get-Content $_ } | ForEach-Object { $_ | ConvertFrom-Json })
        $counts = [ordered]@{
            Operations = $ops.Count
            Successes = @($ops | Where-Object Outcome -eq 'Success').Count
            NoOps = @($ops | Where-Object Outcome -eq 'NoOp').Count
            TenantBusy = @($ops | Where-Object Outcome -eq 'TenantBusy').Count
            Others = @($ops | Where-Object Outcome -notin 'Success', 'NoOp', 'TenantBusy').Count
        }
        $others = $ops | Where-Object Outcome -notin 'Success', 'NoOp', 'TenantBusy' | Group-Object Outcome | ForEach-Object { "$($_.Name)=$($_.Count)" }
        Write-Host ("CONCURRENCY: {0} processes x {1} s (at least {4} operations each): {2}{3}" -f $workers, $seconds, (($counts.GetEnumerator() | ForEach-Object { "$($_.Key) $($_.Value)" }) -join ', '),
            $(if ($others) { " ($($others -join ', '))" } else { '' }), $minOps)
        $ops.Count | Should -BeGreaterOrEqual ($minOps * $workers) -Because 'every worker runs at least $minOps operations'
        $counts.Successes | Should -BeGreaterThan 0
        # Errors other than TenantBusy are only the legitimate refusals of a state (resume an active tenant is a no-op, not an error).
        @($ops | Where-Object Outcome -notin 'Success', 'NoOp', 'TenantBusy', 'TenantStateInvalid') | ForEach-Object { "$($_.Op) $($_.Tenant): $($_.Outcome) $($_.Message)" } | Should -BeNullOrEmpty

        $entries = @(Get-JournalEntries $journal | Where-Object { $_.target -in $names })
        foreach ($t in $tenants) {
            $mine = @($entries | Where-Object target -eq $t.Name)
            $done = @($ops | Where-Object { $_.Tenant -eq $t.Name -and $_.Outcome -eq 'Success' })
            # every reported success is one journal entry, and the journal has no other changes
            foreach ($pair in @(('Quota', 'Set-VdcQuota', 'Changed'), ('Plan', 'Set-VdcTenant', 'Changed'), ('Suspend', 'Suspend-VdcTenant', 'Suspended'), ('Resume', 'Resume-VdcTenant', 'Resumed'))) {
                @($done | Where-Object Op -eq $pair[0]).Count | Should -Be @($mine | Where-Object { $_.action -eq $pair[1] -and $_.outcome -eq $pair[2] }).Count -Because "$($t.Name): $($pair[0]) successes = journal entries"
            }

            # replay the journal: the state the last successful change left
            $expected = @{ plan = 'vdc-small'; state = 'active'; quotas = @{} + $initialQuotas[$t.Name] }
            $planEvents = 0; $stateEvents = 0
            foreach ($e in $mine | Where-Object outcome -in 'Changed', 'Suspended', 'Resumed') {
                switch ($e.action) {
                    'Set-VdcQuota' { foreach ($k in $e.after.Keys | Where-Object { $expected.quotas.ContainsKey($_) }) { $expected.quotas[$k] = [long]$e.after[$k] } }
                    'Set-VdcTenant' {
                        $expected.plan = $e.after.plan; $planEvents++
                        foreach ($k in $e.after.quotas.Keys | Where-Object { $expected.quotas.ContainsKey($_) }) { $expected.quotas[$k] = [long]$e.after.quotas[$k] }
                    }
                    'Suspend-VdcTenant' { $expected.state = 'suspended'; $stateEvents++ }
                    'Resume-VdcTenant' { $expected.state = 'active'; $stateEvents++ }
                }
            }

            # the oracle
            $project = Invoke-OpenStack project show $t.Id
            $project.vdcps_plan | Should -Be $expected.plan -Because "$($t.Name)'s plan"
            $project.vdcps_state | Should -Be $expected.state -Because "$($t.Name)'s state"
            $project.enabled | Should -Be ($expected.state -eq 'active')
            (Invoke-OpenStack user show $t.UserId).enabled | Should -Be ($expected.state -eq 'active') -Because "$($t.Name)'s user follows the project"
            $quotas = Get-OscQuota $t.Id
            foreach ($k in $expected.quotas.Keys) { $quotas[$k] | Should -Be $expected.quotas[$k] -Because "$($t.Name) $k" }
            # the history holds every change exactly once (no lost update of the record)
            $history = @($project.vdcps_history)
            if ($project.vdcps_history -is [string]) { $history = @($project.vdcps_history | ConvertFrom-Json) }
            @($history | Where-Object event -eq 'plan-changed').Count | Should -Be $planEvents
            @($history | Where-Object event -in 'suspended', 'resumed').Count | Should -Be $stateEvents
        }
        @(Get-LeaseGroups | Where-Object { $_.Name -in @($tenants | ForEach-Object { "vdcps-lease-$($_.Id)" }) }).Count | Should -Be 0 -Because 'every lease is released'
    }
}
