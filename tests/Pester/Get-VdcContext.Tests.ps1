BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
}

Describe 'Get-VdcContext' -Tag Unit {
    It 'returns nothing when not connected' {
        Get-VdcContext -ListAvailable | Disconnect-VdcCloud -ErrorAction SilentlyContinue
        Get-VdcContext | Should -BeNullOrEmpty
        Get-VdcContext -ListAvailable | Should -BeNullOrEmpty
    }

    It 'a name without wildcards that matches nothing is ContextNotFound' {
        Get-VdcContext -Name no-such-context -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ContextNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Get-VdcContext against the lab' -Tag Lab {
    BeforeAll {
        $env:OS_CLIENT_CONFIG_FILE = $LabClouds
        $script:a = Connect-VdcCloud -Cloud vdcps-lab -Name ctx-a
        $script:b = Connect-VdcCloud -Cloud vdcps-lab-system -Name ctx-b -NoSetCurrent
    }
    AfterAll {
        Get-VdcContext -ListAvailable | Disconnect-VdcCloud
        $env:OS_CLIENT_CONFIG_FILE = $null
    }

    It 'returns the current context by default' {
        $ctx = Get-VdcContext
        $ctx.Name | Should -Be 'ctx-a'
        $ctx.IsCurrent | Should -BeTrue
    }

    It 'lists all contexts, filters by wildcard, and completes their names' {
        (Get-VdcContext -ListAvailable).Name | Should -Be @('ctx-a', 'ctx-b')
        (Get-VdcContext -Name *-b).ScopeType | Should -Be 'System'
        $line = 'Get-VdcContext -Name ctx'
        ([System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null)).CompletionMatches.CompletionText | Should -Be @('ctx-a', 'ctx-b')
    }

    It 'its table view fits a 120-column terminal' {
        $lines = Get-VdcContext -ListAvailable | Format-Table | Out-String -Width 120 -Stream
        ($lines | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 120
        ($lines -join "`n") | Should -Match 'TokenExpiresAt'
    }

    It 'exports one flat row per context' {
        $rows = Get-VdcContext -ListAvailable | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $rows.Count | Should -Be 2
        $rows[0].ComputeEndpoint | Should -Be 'http://127.0.0.1:8774/v2.1'
        $rows[0].PSObject.Properties.Name | Should -Contain 'TokenExpiresAt'
    }

    It 'keeps contexts per runspace' {
        $other = [powershell]::Create()
        try {
            $null = $other.AddScript("Import-Module '$ModulePath'; Get-VdcContext -ListAvailable | Measure-Object | ForEach-Object Count")
            $other.Invoke()[0] | Should -Be 0
        }
        finally { $other.Dispose() }
    }
}
