BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
}

Describe 'Get-VdcVersion' -Tag Unit {
    It 'returns one flat object that exports to CSV' {
        $rows = @(Get-VdcVersion)
        $rows.Count | Should -Be 1
        $csv = $rows | ConvertTo-Csv -NoTypeInformation
        $csv[0] | Should -Match '"Module","ModuleVersion","PowerShellEdition","PowerShellVersion","Runtime","OperatingSystem","ModulePath","DependenciesIsolated"'
        $csv[1] | Should -Match '^"VdcPS","\d+\.\d+\.\d+'
    }

    It 'names the runtime it runs on' {
        (Get-VdcVersion).Runtime | Should -Be ([System.Runtime.InteropServices.RuntimeInformation]::FrameworkDescription)
        (Get-VdcVersion).PowerShellEdition | Should -Be $PSVersionTable.PSEdition
    }
}
