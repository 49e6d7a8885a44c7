BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $env:VDCPS_PLAN_CATALOG = $SampleCatalog
}
AfterAll { $env:VDCPS_PLAN_CATALOG = $null }

Describe 'Remove-VdcTenant contract' -Tag Unit {
    It 'is ConfirmImpact High and supports -WhatIf and -Force' {
        $attr = (Get-Command Remove-VdcTenant).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true)
        $attr.ConfirmImpact | Should -Be 'High'
        (Get-Command Remove-VdcTenant).Parameters.Keys | Should -Contain 'Force'
    }
}

Describe 'Remove-VdcTenant against the lab' -Tag Lab {
    BeforeAll {
        $env:OS_CLIENT_CONFIG_FILE = $LabClouds
        Connect-VdcCloud -Cloud vdcps-lab | Out-Null
    }

    It 'refuses while the project owns a network, lists it, and removes with -Force' {
        $t = New-VdcTenant -Name (New-TestTenantName 'rm') -Plan vdc-small -CustomerId C-RM
        try {
            $net = Invoke-OpenStack network create --project $t.Id "net-$($t.Name)"
            Remove-VdcTenant -Name $t.Name -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantNotEmpty,*'
            $err[0].Exception.Message | Should -Match "net-$($t.Name)"
            (Invoke-OpenStack project show $t.Id).vdcps_state | Should -Be 'active'

            Remove-VdcTenant -Name $t.Name -Force -WarningAction SilentlyContinue
            & openstack --os-cloud vdcps-lab project show $t.Id 2>&1 | Out-Null
            $LASTEXITCODE | Should -Not -Be 0
            Invoke-OpenStackRaw network delete $net.id | Out-Null
        }
        finally { Remove-TestProject $t.Name }
    }

    It '-WhatIf removes nothing' {
        $t = New-VdcTenant -Name (New-TestTenantName 'rm') -Plan vdc-small -CustomerId C-RM
        try {
            $t | Remove-VdcTenant -WhatIf
            (Invoke-OpenStack project show $t.Id).id | Should -Be $t.Id
        }
        finally { Remove-TestProject $t.Name }
    }

    It 'finishes a removal that was interrupted (state removing) on a rerun' {
        $t = New-VdcTenant -Name (New-TestTenantName 'rm') -Plan vdc-small -CustomerId C-RM
        # what an interrupted Remove-VdcTenant leaves: the project disabled and marked removing
        Invoke-OpenStackRaw project set --disable --property vdcps_state=removing $t.Id | Out-Null
        (Get-VdcTenant -Id $t.Id).State | Should -Be 'Removing'
        Get-VdcTenant -Id $t.Id | Remove-VdcTenant -Confirm:$false
        & openstack --os-cloud vdcps-lab project show $t.Id 2>&1 | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
        & openstack --os-cloud vdcps-lab user show $t.UserId 2>&1 | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
    }

    It 'refuses a project VdcPS did not create' {
        Remove-VdcTenant -Name admin -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantNotManaged,*'
        (Invoke-OpenStack project show admin).enabled | Should -BeTrue
    }
}
