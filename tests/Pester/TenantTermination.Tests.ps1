# The end of a tenant's life: termination keeps a disabled, renamed project with the tenant's record,
# so that the last period is billed from the cloud alone; reruns are harmless; the name is free again;
# -Purge deletes the record for good. The CLI is the oracle for what is in Keystone.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    Initialize-TestLab
}
AfterAll {
    Get-VdcContext -ListAvailable | Disconnect-VdcCloud -ErrorAction SilentlyContinue
    Clear-TestLab
}

Describe 'Remove-VdcTenant -Purge contract' -Tag Unit {
    It 'has -Purge, and refuses -Purge with -LeaveResources before anything happens' {
        (Get-Command Remove-VdcTenant).Parameters.Keys | Should -Contain 'Purge'
        { Remove-VdcTenant -Name nobody -Purge -LeaveResources -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'TenantInputInvalid,*'
    }

    It 'Get-VdcTenant -State accepts Terminated' {
        [VdcPS.Models.VdcTenantState]::Terminated | Should -Be 'Terminated'
        (Get-Command Get-VdcTenant).Parameters['State'].ParameterType | Should -Be ([VdcPS.Models.VdcTenantState[]])
    }
}

Describe 'The last invoice of a terminated tenant' -Tag Lab {
    BeforeAll {
        $name = New-TestTenantName 'term'
        # active since October; its removal started on 2026-11-18 10:00 UTC and was interrupted (what a
        # killed run leaves: the project disabled, marked removing, with the time its access ended)
        $t = New-VdcTenant -Name $name -Plan vdc-small -CustomerId C-TERM -ActivatedAt ([datetime]::new(2026, 10, 1, 9, 0, 0, [DateTimeKind]::Utc))
        Invoke-OpenStackRaw project set --disable --property vdcps_state=removing --property vdcps_terminated_at=2026-11-18T10:00:00Z $t.Id | Out-Null
        # the rerun finishes the termination and keeps the first run's time
        $t | Remove-VdcTenant -Confirm:$false
    }
    AfterAll { Remove-TestProject $name }

    It 'keeps the project disabled and renamed, with state, original name, time and history; the user and access are gone' {
        $kept = Invoke-OpenStack project show $t.Id
        $kept.name | Should -Be "vdcps-terminated-$($t.Id)"
        $kept.enabled | Should -BeFalse
        $kept.vdcps_state | Should -Be 'terminated'
        $kept.vdcps_original_name | Should -Be $name
        $kept.vdcps_terminated_at | Should -Be ([datetime]::new(2026, 11, 18, 10, 0, 0, [DateTimeKind]::Utc))   # the CLI's JSON, read as a date
        @($kept.vdcps_history).event | Should -Contain 'terminated'
        & openstack --os-cloud vdcps-lab user show $t.UserId 2>&1 | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
        @(Invoke-OpenStack role assignment list --project $t.Id) | Should -BeNullOrEmpty
    }

    It 'is billed for 1 to 18 November and its pay-per-use, by a fresh process with an empty journal and no local file' {
        # By hand (sample catalog, vdc-small: monthly 149.00, volume-gb-hour 0.00014):
        #   monthly fee: days 1..18 of 30 (active on the 18th until 10:00) = 149.00 x 18 / 30 = 89.40
        #   pay-per-use: 20 GB for 418 h (1 Nov 00:00 to 18 Nov 10:00) = 8360 GB-h x 0.00014 = 1.1704 -> 1.17
        #   no setup fee (activated in October). Total 90.57.
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
# the volume usage of November as Get-VdcUsage reports it for the tenant (its volume was deleted at the termination)
`$row = [VdcPS.Models.VdcUsageRecord]@{ TenantId = '$($t.Id)'; TenantName = '$name'; Resource = 'volume-gb-hour'; Quantity = 8360; Unit = 'GB-hour'; Source = 'cinder'
    PeriodStart = [datetime]::new(2026, 11, 1, 0, 0, 0, [DateTimeKind]::Utc); PeriodEnd = [datetime]::new(2026, 12, 1, 0, 0, 0, [DateTimeKind]::Utc) }
`$lines = `$row | Measure-VdcCharge -Start 2026-11-01 -End 2026-12-01 -ErrorAction SilentlyContinue -WarningAction SilentlyContinue |
    Where-Object TenantId -eq '$($t.Id)'
foreach (`$l in `$lines) { 'LINE {0} {1} {2} {3} {4}' -f `$l.ChargeType, `$l.TenantName, `$l.Quantity.ToString([cultureinfo]::InvariantCulture), `$l.Amount.ToString([cultureinfo]::InvariantCulture), `$l.Description }
`$total = [decimal]0; foreach (`$l in `$lines) { `$total += `$l.Amount }
'TOTAL ' + `$total.ToString([cultureinfo]::InvariantCulture)
'JOURNAL ' + (Test-Path '$journal')
"@
            $lines = @($out | Where-Object { $_ -like 'LINE *' })
            $lines.Count | Should -Be 2 -Because ($out -join "`n")
            $lines[0] | Should -Be "LINE MonthlyFee $name 18 89.40 VDC Small monthly fee 2026-11: 2026-11-01 to 2026-11-18 (18 of 30 days)"
            $lines[1] | Should -BeLike "LINE PayPerUse $name 8360 1.17 *"
            $out | Should -Contain 'TOTAL 90.57'
            $out | Should -Contain 'JOURNAL False'   # nothing local was read or written: the record is in the cloud
        }
        finally {
            Remove-Item -Recurse -Force $emptyHome -ErrorAction SilentlyContinue
        }
    }

    It 'December bills nothing' {
        @(Measure-VdcCharge -Start 2026-12-01 -End 2027-01-01 -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Where-Object TenantId -eq $t.Id) |
            Should -BeNullOrEmpty
    }

    It 'Get-VdcTenant shows it only with -State Terminated (or by id), by its original name, and it round-trips through CSV' {
        Get-VdcTenant -Name $name -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantNotFound,*'
        $err[0].Exception.Message | Should -Match 'State Terminated'
        @(Get-VdcTenant | Where-Object Id -eq $t.Id) | Should -BeNullOrEmpty
        $shown = Get-VdcTenant -Name $name -State Terminated
        $shown.Id | Should -Be $t.Id
        $shown.State | Should -Be 'Terminated'
        $shown.ProjectName | Should -Be "vdcps-terminated-$($t.Id)"
        $shown.TerminatedAt | Should -Be ([datetime]::new(2026, 11, 18, 10, 0, 0, [DateTimeKind]::Utc))
        (Get-VdcTenant -Id $t.Id).State | Should -Be 'Terminated'

        $csv = Join-Path ([IO.Path]::GetTempPath()) "term-$([guid]::NewGuid()).csv"
        try {
            $shown | Export-Csv $csv
            # rated offline from the export: the same fee
            $fee = Measure-VdcCharge -Tenant (Import-Csv $csv) -Start 2026-11-01 -End 2026-12-01 | Where-Object ChargeType -eq MonthlyFee
            $fee.Amount | Should -Be 89.40
            $fee.Quantity | Should -Be 18
        }
        finally { Remove-Item $csv -ErrorAction SilentlyContinue }
    }

    It 'a rerun is a no-op with a warning, and the name serves a new tenant at once' {
        Remove-VdcTenant -Name $name -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -Match 'was terminated at 2026-11-18T10:00:00Z: nothing to do'
        (Invoke-OpenStack project show $t.Id).vdcps_terminated_at | Should -Be ([datetime]::new(2026, 11, 18, 10, 0, 0, [DateTimeKind]::Utc))

        $again = New-VdcTenant -Name $name -Plan vdc-small -CustomerId C-TERM
        try {
            $again.Id | Should -Not -Be $t.Id
            (Invoke-OpenStack project show $name).id | Should -Be $again.Id
            # -Purge by name takes the terminated record, never the live tenant of that name
            Remove-VdcTenant -Name $name -Purge -Confirm:$false
            & openstack --os-cloud vdcps-lab project show $t.Id 2>&1 | Out-Null
            $LASTEXITCODE | Should -Not -Be 0 -Because 'the purge deleted the kept record'
            (Invoke-OpenStack project show $again.Id).enabled | Should -BeTrue
            # and a live tenant is never purged
            Remove-VdcTenant -Name $name -Purge -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantNotTerminated,*'
            (Invoke-OpenStack project show $again.Id).enabled | Should -BeTrue
        }
        finally { Remove-TestProject $again.Id }
    }
}
