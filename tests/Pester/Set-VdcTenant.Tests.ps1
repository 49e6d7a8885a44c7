BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    Initialize-TestLab -NoJournal
}
AfterAll { Clear-TestLab }

Describe 'Set-VdcTenant against the lab' -Tag Lab {
    BeforeAll {
        $script:t = New-VdcTenant -Name (New-TestTenantName 'set') -Plan vdc-medium -CustomerId C-SET
    }
    AfterAll { Remove-TestProject $t.Name }

    It 'changes customer id and description' {
        $changed = Set-VdcTenant -Id $t.Id -CustomerId C-SET-2 -Description 'moved to the new contract' -PassThru
        $changed.CustomerId | Should -Be 'C-SET-2'
        $p = Invoke-OpenStack project show $t.Id
        $p.vdcps_customer | Should -Be 'C-SET-2'
        $p.description | Should -Be 'moved to the new contract'
    }

    It 'refuses a smaller plan while usage exceeds its maximum, and changes nothing' {
        $small = Get-VdcPlan -Name vdc-small -Quota | Where-Object { $_.Service -eq 'network' -and $_.Resource -eq 'network' }
        Invoke-OpenStackRaw quota set --networks ($small.Max + 5) $t.Id | Out-Null   # room for more than vdc-small allows
        $nets = 1..($small.Max + 1) | ForEach-Object { Invoke-OpenStack network create --project $t.Id "n$_-$($t.Name)" }
        try {
            $quotaBefore = Get-OscQuota -Project $t.Id
            Set-VdcTenant -Id $t.Id -Plan vdc-small -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'QuotaBelowUsage,*'
            $err[0].Exception.Message | Should -Match 'network.network'
            (Invoke-OpenStack project show $t.Id).vdcps_plan | Should -Be 'vdc-medium'
            (Get-OscQuota -Project $t.Id)['compute.cores'] | Should -Be $quotaBefore['compute.cores']
        }
        finally { $nets | ForEach-Object { Invoke-OpenStackRaw network delete $_.id | Out-Null } }
    }

    It 'an unknown plan is PlanNotFound' {
        Set-VdcTenant -Id $t.Id -Plan no-such-plan -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PlanNotFound,*'
    }

    It '-WhatIf shows the change and changes nothing' {
        Set-VdcTenant -Id $t.Id -Plan vdc-large -WhatIf
        (Invoke-OpenStack project show $t.Id).vdcps_plan | Should -Be 'vdc-medium'
    }
}
