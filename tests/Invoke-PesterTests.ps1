<#
.SYNOPSIS
    Runs the Pester suites against the built module and writes a one-line summary as JSON.
    Called by build.ps1 -Task Test in a fresh `pwsh -NoProfile -NonInteractive`.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultsPath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [switch] $NoLab
)
$ErrorActionPreference = 'Stop'

# Every test file finds the module under test through this variable.
$env:VDCPS_MODULE_PATH = (Resolve-Path $ModulePath).Path
# No ANSI colour codes in messages, here or in the pwsh processes the tests start: they are
# not valid in the XML test report, and they make assertions on error text brittle.
$env:NO_COLOR = '1'
$PSStyle.OutputRendering = 'PlainText'
Import-Module $PesterPath -Force

$config = New-PesterConfiguration
$config.Run.Path = Join-Path $PSScriptRoot 'Pester'
$config.Run.PassThru = $true
$config.Run.Exit = $false
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'JUnitXml'
$config.TestResult.OutputPath = Join-Path $ResultsPath 'pester.xml'
if ($NoLab) { $config.Filter.ExcludeTag = @('Lab') }

try {
    $result = Invoke-Pester -Configuration $config
    $summary = [ordered]@{
        Passed  = [int]$result.PassedCount
        # A failed BeforeAll/AfterAll or a broken test file fails no single test: count it too.
        Failed  = [int]$result.FailedCount + [int]$result.FailedBlocksCount + [int]$result.FailedContainersCount
        Skipped = [int]$result.SkippedCount + [int]$result.NotRunCount
    }
}
catch {
    # Pester itself broke (e.g. writing the report): that is a failure, never a silent pass.
    Write-Host "Pester run failed: $_" -ForegroundColor Red
    $summary = [ordered]@{ Passed = 0; Failed = 1; Skipped = 0 }
}
$summary | ConvertTo-Json | Set-Content -Path $SummaryPath -Encoding utf8NoBOM
exit ([int]($summary.Failed -gt 0))
