# Allocation prices in the lab: a quota changed mid-period with Set-VdcQuota is recorded, with its
# time, in the tenant's own Keystone project (the openstack CLI is the oracle), and a second, freshly
# started and freshly connected pwsh with an empty journal and an empty home rates the period from
# that record alone. Expected amounts are computed here from the recorded time and the sample
# catalog's vdc-flex prices (cores above 4 at 9.00 a month each), independently of VdcPS.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    Initialize-TestLab -NoConnect

    function Get-QuotaHistoryOracle([string] $ProjectId) {
        # vdcps_quota_history as the openstack CLI shows it: a list of "time source key=value ..." texts
        $project = Invoke-OpenStack project show $ProjectId
        return @($project.vdcps_quota_history)
    }
}
AfterAll { Clear-TestLab }

Describe 'Allocation prices rated from the quota history in the cloud' -Tag Lab {
    BeforeAll {
        Connect-VdcCloud -Cloud vdcps-lab | Out-Null
        $now = [datetime]::UtcNow
        $script:monthStart = [datetime]::new($now.Year, $now.Month, 1, 0, 0, 0, [DateTimeKind]::Utc)
        $script:monthEnd = $monthStart.AddMonths(1)
        $script:name = New-TestTenantName 'alloc'
        # activated at the start of this month with 6 cores: 2 above vdc-flex's 4
        $script:t = New-VdcTenant -Name $name -Plan vdc-flex -CustomerId C-ALLOC -ActivatedAt $monthStart -Quota @{ cores = 6 }
        $script:before = [datetime]::UtcNow
        Set-VdcQuota -Name $name -Cores 10 -Confirm:$false
        $script:after = [datetime]::UtcNow
    }
    AfterAll {
        Remove-TestProject -Name $name
    }

    It 'records New-VdcTenant and Set-VdcQuota in the project, with their times' {
        (Get-OscQuota $t.Id)['compute.cores'] | Should -Be 10
        $history = Get-QuotaHistoryOracle $t.Id
        $history.Count | Should -Be 2
        $history[0] | Should -Match ('^' + [regex]::Escape($monthStart.ToString('yyyy-MM-ddTHH:mm:ssZ')) + ' new-tenant .*\bcompute\.cores=6\b')
        $history[1] | Should -Match '^\S+ set-quota compute\.cores=10$'
        $at = [datetime]::Parse(($history[1] -split ' ')[0], [cultureinfo]::InvariantCulture, 'AdjustToUniversal,AssumeUniversal')
        $at | Should -BeGreaterOrEqual $before.AddSeconds(-1)
        $at | Should -BeLessOrEqual $after
        (Get-VdcTenant -Name $name).QuotaHistory | Should -Be ($history -join '; ')
    }

    It 'rates the period from a fresh, freshly connected session with an empty journal' {
        $history = Get-QuotaHistoryOracle $t.Id
        $changed = [datetime]::Parse(($history[1] -split ' ')[0], [cultureinfo]::InvariantCulture, 'AdjustToUniversal,AssumeUniversal')
        $dim = [datetime]::DaysInMonth($monthStart.Year, $monthStart.Month)
        $daysBefore = ($changed.Date - $monthStart).Days        # days 1 .. the day before the change: 6 cores
        $daysAfter = $dim - $daysBefore                          # the day of the change .. the month's end: 10 cores
        $expected = @()
        if ($daysBefore -gt 0) {
            $expected += '{0} {1}' -f [math]::Round(9.00 * 2 * $daysBefore / $dim, 2, [MidpointRounding]::AwayFromZero).ToString('0.00', [cultureinfo]::InvariantCulture),
                ("Cores above 4: 2 × 9.00 for $daysBefore of $dim days ($($monthStart.ToString('yyyy-MM')): " +
                 $(if ($daysBefore -eq 1) { $monthStart.ToString('yyyy-MM-dd') } else { "$($monthStart.ToString('yyyy-MM-dd')) to $($changed.Date.AddDays(-1).ToString('yyyy-MM-dd'))" }) + '; quota 6)')
        }
        $last = $monthEnd.AddDays(-1).ToString('yyyy-MM-dd')
        $expected += '{0} {1}' -f [math]::Round(9.00 * 6 * $daysAfter / $dim, 2, [MidpointRounding]::AwayFromZero).ToString('0.00', [cultureinfo]::InvariantCulture),
            ("Cores above 4: 6 × 9.00 for $daysAfter of $dim days ($($monthStart.ToString('yyyy-MM')): " +
             $(if ($daysAfter -eq 1) { $last } else { "$($changed.Date.ToString('yyyy-MM-dd')) to $last" }) + '; quota 10)')

        $emptyHome = Join-Path ([IO.Path]::GetTempPath()) "vdcps-fresh-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory -Path $emptyHome | Out-Null
        try {
            $journal = Join-Path $emptyHome 'journal.jsonl'
            $out = Invoke-FreshPwsh @"
`$ErrorActionPreference = 'Stop'
`$env:HOME = '$emptyHome'; `$env:XDG_DATA_HOME = '$emptyHome'; `$env:XDG_CONFIG_HOME = '$emptyHome'
`$env:VDCPS_JOURNAL = '$journal'
`$env:OS_CLIENT_CONFIG_FILE = '$LabClouds'
`$env:VDCPS_PLAN_CATALOG = '$SampleCatalog'
Import-Module '$ModulePath'
Connect-VdcCloud -Cloud vdcps-lab | Out-Null
`$lines = Measure-VdcCharge -Start '$($monthStart.ToString('o'))' -End '$($monthEnd.ToString('o'))' -ErrorAction SilentlyContinue -WarningAction SilentlyContinue |
    Where-Object { `$_.TenantId -eq '$($t.Id)' -and `$_.ChargeType -eq 'Allocation' }
foreach (`$l in `$lines) { 'LINE ' + `$l.Amount.ToString([cultureinfo]::InvariantCulture) + ' ' + `$l.Description }
'JOURNAL ' + (Test-Path '$journal')
"@
            $lines = @($out | Where-Object { $_ -like 'LINE *' } | ForEach-Object { $_.Substring(5) })
            $lines | Should -Be $expected -Because ($out -join "`n")
            $out | Should -Contain 'JOURNAL False'   # nothing local was read or written: the record is in the cloud
        }
        finally {
            Remove-Item -Recurse -Force $emptyHome -ErrorAction SilentlyContinue
        }
    }
}
