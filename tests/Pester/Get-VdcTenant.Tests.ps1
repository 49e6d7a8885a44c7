BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $env:VDCPS_PLAN_CATALOG = $SampleCatalog
}
AfterAll { $env:VDCPS_PLAN_CATALOG = $null }

Describe 'Get-VdcTenant' -Tag Unit {
    It 'without a connection it fails with NoVdcContext' {
        Get-VdcContext -ListAvailable | Disconnect-VdcCloud -ErrorAction SilentlyContinue
        $e = { Get-VdcTenant } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'NoVdcContext,*'
        $e.CategoryInfo.Category | Should -Be 'ConnectionError'
    }
}

Describe 'Get-VdcTenant against the lab' -Tag Lab {
    BeforeAll {
        Initialize-TestLab -NoCatalog -NoJournal
        $script:a = New-VdcTenant -Name (New-TestTenantName 'get') -Plan vdc-small -CustomerId 'C-GET-1'
        $script:b = New-VdcTenant -Name (New-TestTenantName 'get') -Plan vdc-medium -CustomerId 'C-GET-2'
        $b | Suspend-VdcTenant
    }
    AfterAll { $a, $b | ForEach-Object { Remove-TestProject $_.Name }; Clear-TestLab }

    It 'filters by plan, customer, state and enabled' {
        (Get-VdcTenant -Name 'get-*' -Plan vdc-small | Where-Object Id -eq $a.Id).Name | Should -Be $a.Name
        (Get-VdcTenant -CustomerId 'C-GET-*').Name | Sort-Object | Should -Be (@($a.Name, $b.Name) | Sort-Object)
        (Get-VdcTenant -State Suspended -CustomerId 'C-GET-*').Name | Should -Be $b.Name
        (Get-VdcTenant -Enabled $false -CustomerId 'C-GET-*').Name | Should -Be $b.Name
    }

    It 'leaves out projects VdcPS did not create unless asked' {
        Get-VdcTenant -Name admin -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-VdcTenant -Name admin -IncludeUnmanaged).State | Should -Be 'Unmanaged'
    }

    It 'a missing name is TenantNotFound' {
        Get-VdcTenant -Name 'no-such-tenant-x' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantNotFound,*'
    }

    It 'exports flat rows, fits 120 columns, and completes names it has seen' {
        $rows = Get-VdcTenant -CustomerId 'C-GET-*' | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $rows.Count | Should -Be 2
        $rows[0].PSObject.Properties.Name | Should -Contain 'ActivatedAt'
        $lines = Get-VdcTenant -CustomerId 'C-GET-*' | Format-Table | Out-String -Width 120 -Stream
        ($lines | Measure-Object Length -Maximum).Maximum | Should -BeLessOrEqual 120
        $line = 'Suspend-VdcTenant -Name get-'
        ([System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null)).CompletionMatches.CompletionText | Should -Contain $a.Name
    }
}
