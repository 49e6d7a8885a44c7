# Repair-VdcTenant's contract; the lab round trip (drift made with the CLI, found, repaired, the CLI
# agreeing) is in Test-VdcTenant.Tests.ps1, where the drift is made.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
}

Describe 'Repair-VdcTenant parameter contract' -Tag Unit {
    It 'supports -WhatIf/-Confirm, takes ids from Test-VdcTenant rows, and has -AllowBelowUsage' {
        $c = Get-Command Repair-VdcTenant
        $attr = $c.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true)[0]
        $attr.SupportsShouldProcess | Should -BeTrue
        $attr.ConfirmImpact | Should -Be 'Medium'
        $c.ParameterSets.Name | Sort-Object | Should -Be @('Id', 'InputObject', 'Name')
        $c.Parameters.Id.Aliases | Should -Contain 'TenantId'
        $c.Parameters.Id.ParameterSets.Values.ValueFromPipelineByPropertyName | Should -Contain $true
        $c.Parameters.AllowBelowUsage.ParameterType | Should -Be ([switch])
        $c.OutputType.Type | Should -Contain ([VdcPS.Models.VdcTenantDrift])
    }
}

Describe 'Repair-VdcTenant refuses a wildcard' -Tag Lab {
    BeforeAll {
        Initialize-TestLab -NoJournal
    }
    AfterAll { Clear-TestLab }

    It 'a wildcard name is TenantInputInvalid and nothing is repaired' {
        Repair-VdcTenant -Name 'acme*' -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantInputInvalid,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'an unknown tenant is TenantNotFound' {
        Repair-VdcTenant -Id 'no-such-project-id' -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantNotFound,*'
    }
}
