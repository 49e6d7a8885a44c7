# Get-VdcCloudKittyCharge: parameter contract, errors, and reading the lab's CloudKitty. The agreement
# of CloudKitty's ratings with VdcPS's own is proven in CloudKitty.Tests.ps1.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
}

Describe 'Get-VdcCloudKittyCharge parameter contract' -Tag Unit {
    It 'has exactly Start, End, TenantId, Currency, UnitMap, CatalogPath, Context' {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters
        $names = (Get-Command Get-VdcCloudKittyCharge).Parameters.Keys | Where-Object { $_ -notin $common }
        Compare-Object @($names) @('Start', 'End', 'TenantId', 'Currency', 'UnitMap', 'CatalogPath', 'Context') | Should -BeNullOrEmpty
    }

    It 'takes Start and End at positions 0 and 1, both mandatory' {
        $p = (Get-Command Get-VdcCloudKittyCharge).Parameters
        $p.Start.ParameterSets.Values[0].Position | Should -Be 0
        $p.End.ParameterSets.Values[0].Position | Should -Be 1
        $p.Start.ParameterSets.Values[0].IsMandatory | Should -BeTrue
        $p.End.ParameterSets.Values[0].IsMandatory | Should -BeTrue
    }

    It 'takes tenant ids by property name, also as Id and ProjectId, and declares VdcChargeLine' {
        $p = (Get-Command Get-VdcCloudKittyCharge).Parameters.TenantId
        $p.Aliases | Should -Contain 'Id'
        $p.Aliases | Should -Contain 'ProjectId'
        $p.ParameterSets.Values[0].ValueFromPipelineByPropertyName | Should -BeTrue
        (Get-Command Get-VdcCloudKittyCharge).OutputType.Name | Should -Be 'VdcPS.Models.VdcChargeLine'
    }

    It 'accepts only an ISO 4217 code in capital letters as currency' {
        { Get-VdcCloudKittyCharge 2026-11-01 2026-12-01 -Currency EURO } | Should -Throw -ErrorId 'ParameterArgumentValidationError,VdcPS.Commands.GetVdcCloudKittyChargeCommand'
        $e = { Get-VdcCloudKittyCharge 2026-11-01 2026-12-01 -Currency eur } | Should -Throw -ErrorId 'CurrencyUnknown,VdcPS.Commands.GetVdcCloudKittyChargeCommand' -PassThru
        $e.Exception.Message | Should -Match "'EUR'"
        { Get-VdcCloudKittyCharge 2026-11-01 2026-12-01 -Currency DEM } | Should -Throw -ErrorId 'CurrencyUnknown,VdcPS.Commands.GetVdcCloudKittyChargeCommand'
    }

    It 'needs a connection' {
        $out = Invoke-FreshPwsh "Import-Module '$ModulePath'; try { Get-VdcCloudKittyCharge 2026-11-01 2026-12-01 -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId }"
        $out | Should -Contain 'NoVdcContext,VdcPS.Commands.GetVdcCloudKittyChargeCommand'
    }
}

Describe 'Get-VdcCloudKittyCharge against the lab' -Tag Lab {
    BeforeAll {
        $env:OS_CLIENT_CONFIG_FILE = $LabClouds
        $script:Lab = Connect-VdcCloud -Cloud vdcps-lab -NoSetCurrent -Name ck-lab
        $now = [datetime]::UtcNow
        $script:MonthStart = [datetime]::new($now.Year, $now.Month, 1, 0, 0, 0, [DateTimeKind]::Utc)
    }

    It 'reads the rated summary of the month without error (lines or none)' {
        $lines = @(Get-VdcCloudKittyCharge -Start $MonthStart -End $MonthStart.AddMonths(1) -Context $Lab -Currency EUR -ErrorAction Stop)
        foreach ($l in $lines) {
            $l | Should -BeOfType ([VdcPS.Models.VdcChargeLine])
            $l.Source | Should -Be 'cloudkitty'
            $l.ChargeType | Should -Be 'PayPerUse'
            $l.Currency | Should -Be 'EUR'
            $l.PeriodStart | Should -Be $MonthStart
        }
    }

    It 'refuses an end before the start' {
        { Get-VdcCloudKittyCharge -Start $MonthStart -End $MonthStart.AddDays(-1) -Context $Lab -ErrorAction Stop } | Should -Throw -ErrorId 'PeriodInvalid,VdcPS.Commands.GetVdcCloudKittyChargeCommand'
    }

    It 'says RatingEndpointNotFound for a cloud (here: a region) without CloudKitty' {
        $nowhere = Connect-VdcCloud -Cloud vdcps-lab -Region RegionTwo -NoSetCurrent -Name ck-nowhere -WarningAction SilentlyContinue
        { Get-VdcCloudKittyCharge -Start $MonthStart -End $MonthStart.AddMonths(1) -Context $nowhere -ErrorAction Stop } |
            Should -Throw -ErrorId 'RatingEndpointNotFound,VdcPS.Commands.GetVdcCloudKittyChargeCommand'
    }
}
