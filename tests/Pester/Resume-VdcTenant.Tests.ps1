BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    Initialize-TestLab -NoJournal
}
AfterAll { Clear-TestLab }

Describe 'Resume-VdcTenant against the lab' -Tag Lab {
    BeforeAll {
        $script:t = New-VdcTenant -Name (New-TestTenantName 'res') -Plan vdc-small -CustomerId C-RES
    }
    AfterAll { Remove-TestProject $t.Name }

    It 'lets the tenant user log in again after a suspension' {
        $t | Suspend-VdcTenant
        $t | Resume-VdcTenant
        $ctx = Connect-VdcCloud -AuthUrl http://127.0.0.1:5000/v3 -Credential $t.Credential -ProjectId $t.Id -Name resumed -NoSetCurrent
        $ctx.ProjectId | Should -Be $t.Id
        $ctx | Disconnect-VdcCloud
    }

    It 'an active tenant is left alone with a warning' {
        Resume-VdcTenant -Id $t.Id -WarningVariable warn -WarningAction SilentlyContinue
        ($warn -join ' ') | Should -Match 'already active'
    }

    It 'records both times for billing' {
        (Get-VdcTenant -Id $t.Id).History | Should -Match '^\S+ activated vdc-small; \S+ suspended vdc-small; \S+ resumed vdc-small$'
    }
}
