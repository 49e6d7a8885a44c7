BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    Initialize-TestLab -NoJournal
}
AfterAll { Clear-TestLab }

Describe 'Suspend-VdcTenant against the lab' -Tag Lab {
    BeforeAll {
        $script:t = New-VdcTenant -Name (New-TestTenantName 'susp') -Plan vdc-small -CustomerId C-SUSP
    }
    AfterAll { Remove-TestProject $t.Name }

    It 'blocks the tenant user from logging in' {
        $cred = $t.Credential
        Suspend-VdcTenant -Id $t.Id
        { Connect-VdcCloud -AuthUrl http://127.0.0.1:5000/v3 -Credential $cred -ProjectId $t.Id -Name blocked -NoSetCurrent } | Should -Throw
    }

    It 'is safe to rerun: a suspended tenant stays suspended, nothing is recorded twice' {
        $before = (Get-VdcTenant -Id $t.Id).History
        Suspend-VdcTenant -Id $t.Id -WarningVariable warn -WarningAction SilentlyContinue
        ($warn -join ' ') | Should -Match 'already suspended'
        (Get-VdcTenant -Id $t.Id).History | Should -Be $before
    }

    It 'works from the pipeline with wildcards: Get-VdcTenant x* | Suspend-VdcTenant' {
        Resume-VdcTenant -Id $t.Id
        Get-VdcTenant -Name ($t.Name.Substring(0, 8) + '*') | Where-Object Id -eq $t.Id | Suspend-VdcTenant -PassThru | ForEach-Object State | Should -Be 'Suspended'
    }
}
