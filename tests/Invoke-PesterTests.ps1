<#
.SYNOPSIS
    Runs the Pester suites against the built module and writes a one-line summary as JSON.
    Called by build.ps1 -Task Test in a fresh `pwsh -NoProfile -NonInteractive`.

.DESCRIPTION
    Most test files spend their time waiting for the lab (a server booting, a shelve, the
    openstack CLI), not computing, so the files run side by side: each file in its own fresh
    `pwsh -NoProfile -NonInteractive` (no state leaks from one file into the next), at most
    -Parallel at a time, the longest first (tests/Pester/durations.json, written from the last
    full run; a file not listed there counts as long). A file whose header says
    `#pester-serial: <why>` changes or measures something the whole lab shares (it restarts a
    service, compares the whole project list before and after, ...): those files run after the
    others, one at a time, with nothing beside them.

    Each file's output is printed in one piece when it ends, so the log reads file by file.
    The JUnit reports of the files are merged into pester.xml; the durations of this run are
    written to durations.json beside it (copy it to tests/Pester/ to refresh the schedule).
    With -Parallel 1 every file still runs in its own process, one after the other.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultsPath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [switch] $NoLab,
    # How many test files run at once (default: $env:VDCPS_TEST_PARALLEL, else 2).
    [ValidateRange(1, 16)] [int] $Parallel = $(if ($env:VDCPS_TEST_PARALLEL) { [int]$env:VDCPS_TEST_PARALLEL } else { 2 }),
    # Internal: run this one file in this process and write its summary and report.
    [string] $TestFile
)
$ErrorActionPreference = 'Stop'

# Every test file finds the module under test through this variable.
$env:VDCPS_MODULE_PATH = (Resolve-Path $ModulePath).Path
# No ANSI colour codes in messages, here or in the pwsh processes the tests start: they are
# not valid in the XML test report, and they make assertions on error text brittle.
$env:NO_COLOR = '1'
$PSStyle.OutputRendering = 'PlainText'

function Write-Summary([string] $Path, [int] $Passed, [int] $Failed, [int] $Skipped) {
    [ordered]@{ Passed = $Passed; Failed = $Failed; Skipped = $Skipped } |
        ConvertTo-Json | Set-Content -Path $Path -Encoding utf8NoBOM
}

if ($TestFile) {
    # One file, in this process.
    Import-Module $PesterPath -Force
    $config = New-PesterConfiguration
    $config.Run.Path = $TestFile
    $config.Run.PassThru = $true
    $config.Run.Exit = $false
    $config.Output.Verbosity = 'Detailed'
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = 'JUnitXml'
    $config.TestResult.OutputPath = Join-Path $ResultsPath 'pester.xml'
    if ($NoLab) { $config.Filter.ExcludeTag = @('Lab') }
    try {
        $result = Invoke-Pester -Configuration $config
        # A failed BeforeAll/AfterAll or a broken test file fails no single test: count it too.
        Write-Summary $SummaryPath $result.PassedCount ($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount) `
            ($result.SkippedCount + $result.NotRunCount)
    }
    catch {
        # Pester itself broke (e.g. writing the report): that is a failure, never a silent pass.
        Write-Host "Pester run failed: $_"
        Write-Summary $SummaryPath 0 1 0
    }
    exit 0
}

$pesterDir = Join-Path $PSScriptRoot 'Pester'
$durationsPath = Join-Path $pesterDir 'durations.json'
$known = @{}
if (Test-Path $durationsPath) {
    (Get-Content -Raw $durationsPath | ConvertFrom-Json).PSObject.Properties | ForEach-Object { $known[$_.Name] = [double]$_.Value }
}
$unknown = if ($known.Count) { ($known.Values | Measure-Object -Maximum).Maximum } else { 0 }

$files = foreach ($f in Get-ChildItem $pesterDir -Filter '*.Tests.ps1' | Sort-Object Name) {
    $head = Get-Content $f.FullName -TotalCount 30
    [pscustomobject]@{
        File   = $f
        Serial = [bool]($head -match '^\s*#pester-serial:')
        Weight = if ($known.ContainsKey($f.Name)) { $known[$f.Name] } else { $unknown }
    }
}
# Longest first, so that the last files to start are short ones and the run ends evenly.
$parallelFiles = @($files | Where-Object { -not $_.Serial } | Sort-Object @{ Expression = 'Weight'; Descending = $true }, @{ Expression = { $_.File.Name } })
$serialFiles = @($files | Where-Object Serial | Sort-Object { $_.File.Name })

$work = Join-Path $ResultsPath 'pester-files'
New-Item -ItemType Directory -Force -Path $work | Out-Null
# A fresh pwsh: the native executable when there is one, else the dotnet tool's pwsh.dll.
$pwshPath = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
$pwshPrefix = @()
if (-not (Test-Path $pwshPath)) { $pwshPath = 'dotnet'; $pwshPrefix = @((Join-Path $PSHOME 'pwsh.dll')) }

function Start-TestFile($entry) {
    $name = $entry.File.BaseName
    $dir = Join-Path $work $name
    New-Item -ItemType Directory -Force -Path $dir | Out-Null
    $arguments = $pwshPrefix + @('-NoProfile', '-NonInteractive', '-File', $PSCommandPath,
        '-PesterPath', $PesterPath, '-ModulePath', $ModulePath, '-ResultsPath', $dir,
        '-SummaryPath', (Join-Path $dir 'summary.json'), '-TestFile', $entry.File.FullName)
    if ($NoLab) { $arguments += '-NoLab' }
    $process = Start-Process -FilePath $pwshPath -ArgumentList ($arguments | ForEach-Object { if ($_ -match '\s') { "`"$_`"" } else { $_ } }) `
        -RedirectStandardOutput (Join-Path $dir 'output.log') -RedirectStandardError (Join-Path $dir 'error.log') -PassThru -NoNewWindow
    [pscustomobject]@{ Entry = $entry; Process = $process; Dir = $dir; Started = [DateTime]::UtcNow }
}

$finished = [System.Collections.Generic.List[object]]::new()
function Complete-TestFile($run) {
    $run.Process.WaitForExit()
    $seconds = ([DateTime]::UtcNow - $run.Started).TotalSeconds
    Write-Host ''
    Write-Host ("=== {0} ({1:N1} s)" -f $run.Entry.File.Name, $seconds)
    foreach ($log in 'output.log', 'error.log') {
        $path = Join-Path $run.Dir $log
        if ((Test-Path $path) -and (Get-Item $path).Length -gt 0) { Get-Content $path | Write-Host }
    }
    $summaryFile = Join-Path $run.Dir 'summary.json'
    $summary = if (Test-Path $summaryFile) { Get-Content -Raw $summaryFile | ConvertFrom-Json } else { $null }
    if ($null -eq $summary -or $null -eq $summary.Passed) {
        # No summary means the process died: count it as a failure, never as a pass.
        Write-Host "The test process for $($run.Entry.File.Name) ended without a summary (exit code $($run.Process.ExitCode))."
        $summary = [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }
    $finished.Add([pscustomobject]@{ Name = $run.Entry.File.Name; Seconds = $seconds; Summary = $summary; Report = Join-Path $run.Dir 'pester.xml' })
}

$clock = [Diagnostics.Stopwatch]::StartNew()
Write-Host "Pester: $($parallelFiles.Count) files, $Parallel at a time; then $($serialFiles.Count) alone: $(($serialFiles.File.Name) -join ', ')"
$queue = [System.Collections.Generic.Queue[object]]::new([object[]]$parallelFiles)
$running = [System.Collections.Generic.List[object]]::new()
while ($queue.Count -gt 0 -or $running.Count -gt 0) {
    while ($queue.Count -gt 0 -and $running.Count -lt $Parallel) { $running.Add((Start-TestFile $queue.Dequeue())) }
    $done = @($running | Where-Object { $_.Process.HasExited })
    if ($done.Count -eq 0) { Start-Sleep -Milliseconds 250; continue }
    foreach ($run in $done) { $null = $running.Remove($run); Complete-TestFile $run }
}
foreach ($entry in $serialFiles) { Complete-TestFile (Start-TestFile $entry) }

# One JUnit report of every file, as a single Invoke-Pester would have written it.
$merged = [xml]'<?xml version="1.0" encoding="utf-8" standalone="no"?><testsuites name="Pester" />'
$totals = @{ tests = 0; errors = 0; failures = 0; disabled = 0 }
foreach ($f in $finished) {
    if (-not (Test-Path $f.Report)) { continue }
    $report = [xml](Get-Content -Raw $f.Report)
    foreach ($suite in $report.testsuites.testsuite) {
        foreach ($k in @($totals.Keys)) { $totals[$k] += [int]$suite.GetAttribute($k) }
        $null = $merged.DocumentElement.AppendChild($merged.ImportNode($suite, $true))
    }
}
foreach ($k in $totals.Keys) { $merged.DocumentElement.SetAttribute($k, [string]$totals[$k]) }
$merged.DocumentElement.SetAttribute('time', ('{0:F3}' -f $clock.Elapsed.TotalSeconds))
$merged.Save((Join-Path $ResultsPath 'pester.xml'))

$durations = [ordered]@{}
foreach ($f in $finished | Sort-Object Name) { $durations[$f.Name] = [math]::Round($f.Seconds, 1) }
$durations | ConvertTo-Json | Set-Content -Path (Join-Path $ResultsPath 'durations.json') -Encoding utf8NoBOM

$passed = ($finished.Summary.Passed | Measure-Object -Sum).Sum
$failed = ($finished.Summary.Failed | Measure-Object -Sum).Sum
$skipped = ($finished.Summary.Skipped | Measure-Object -Sum).Sum
Write-Host ''
Write-Host ("Pester: {0} files in {1:N0} s" -f $finished.Count, $clock.Elapsed.TotalSeconds)
$failedFiles = @($finished | Where-Object { $_.Summary.Failed -gt 0 })
if ($failedFiles) {
    Write-Host "Files with failures: $(($failedFiles.Name) -join ', ')"
    # A recap of every failure at the very end, where a CI log that keeps only its tail still shows it.
    foreach ($f in $failedFiles) {
        Write-Host ''
        Write-Host "--- failures in $($f.Name)"
        $log = Join-Path (Split-Path $f.Report) 'output.log'
        $lines = if (Test-Path $log) { @(Get-Content $log) } else { @() }
        $inFailure = $false; $shown = 0
        foreach ($line in $lines) {
            if ($line -match '^\s*\[-\]|^\s*\[!\]') { $inFailure = $true; $shown = 0 }
            elseif ($line -match '^\s*\[\+\]|^\s*Describing |^\s*Context |^Tests completed') { $inFailure = $false }
            if ($inFailure -and $shown -lt 40) { Write-Host $line; $shown++ }
        }
        if (-not $lines) { Write-Host "(no output was written: see the file's error.log)" }
    }
}
Write-Summary $SummaryPath $passed $failed $skipped
exit ([int]($failed -gt 0))
