#requires -Version 7.2
<#
.SYNOPSIS
    Builds, documents, tests, and demonstrates VdcPS.

.DESCRIPTION
    Run through the pinned PowerShell tool on a fresh machine:

        dotnet tool restore
        dotnet pwsh ./build.ps1 -Task Test      # everything the CI runs
        dotnet pwsh ./build.ps1 -Task Demo      # the main job: build, lab, tenants, usage, billing CSV

    Tasks are plain functions below; -Task runs them in the order given.

.PARAMETER Task
    Clean, Build, Docs, Test, Lab, Demo (the main job), Bench, Package (out/repo/VdcPS.<version>.nupkg).

.PARAMETER Stop
    With -Task Lab: stop the lab (every process it started, by PID).

.PARAMETER Status
    With -Task Lab: show what runs.

.PARAMETER Reset
    With -Task Lab: stop, wipe the lab's data, start again.
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Docs', 'Test', 'Lab', 'Demo', 'Bench', 'Package')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [switch] $Stop,
    [switch] $Status,
    [switch] $Reset,

    # Test: skip the lab-backed Pester tests (for a quick inner loop only; CI never sets this).
    [switch] $NoLab
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$Root = $PSScriptRoot
$OutRoot = Join-Path $Root 'out'
$ModuleOut = Join-Path $OutRoot 'VdcPS'
$PublishDir = Join-Path $OutRoot 'publish'
$TestResults = Join-Path $OutRoot 'test-results'
$LabScript = Join-Path $Root 'tests/lab/lab.sh'

# The dependency dlls the module ships in dependencies/ (never next to VdcPS.dll, so that the
# module's own resolver loads them in isolation). The build fails when one is missing.
$DependencyAllowList = @(
    'Flurl.dll'
    'Flurl.Http.dll'
    'YamlDotNet.dll'
    # netstandard2.0 polyfills: pwsh 7 uses its own framework copies; Windows PowerShell needs these.
    'System.Text.Json.dll'
    'System.Text.Encodings.Web.dll'
    'System.Memory.dll'
    'System.Buffers.dll'
    'System.Numerics.Vectors.dll'
    'System.Runtime.CompilerServices.Unsafe.dll'
    'System.Threading.Tasks.Extensions.dll'
    'Microsoft.Bcl.AsyncInterfaces.dll'
    'System.Text.Encoding.CodePages.dll'
)

function Write-Step([string] $Message) {
    Write-Host "==> $Message" -ForegroundColor Cyan
}

function Invoke-Native {
    # Runs a native command and fails the build on a non-zero exit code.
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @())
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE"
    }
}

function Get-ModuleVersion {
    $props = [xml](Get-Content -Raw (Join-Path $Root 'Directory.Build.props'))
    $version = $props.Project.PropertyGroup.ModuleVersion | Where-Object { $_ } | Select-Object -First 1
    if (-not $version) { throw 'ModuleVersion is missing from Directory.Build.props' }
    return $version
}

function Get-ReleaseNotes([string] $Version) {
    # The CHANGELOG.md section of this version ("## [0.1.0] - ..." up to the next "## ["): the release notes.
    $text = Get-Content -Raw (Join-Path $Root 'CHANGELOG.md')
    $match = [regex]::Match($text, '(?ms)^## \[' + [regex]::Escape($Version) + '\][^\n]*\n(.*?)(?=^## \[|\z)')
    if (-not $match.Success) { throw "CHANGELOG.md has no section '## [$Version]': add one before building $Version." }
    return $match.Groups[1].Value.Trim()
}

function Get-PwshInvocation {
    # A fresh pwsh: the native executable when there is one, else the dotnet tool's pwsh.dll.
    $native = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    if (Test-Path $native) { return @{ File = $native; Prefix = @() } }
    return @{ File = 'dotnet'; Prefix = @((Join-Path $PSHOME 'pwsh.dll')) }
}

function Invoke-FreshPwsh {
    param([Parameter(Mandatory)] [string[]] $ArgumentList)
    $pwsh = Get-PwshInvocation
    & $pwsh.File @($pwsh.Prefix + @('-NoProfile', '-NonInteractive') + $ArgumentList) | Out-Host
    return $LASTEXITCODE
}

function Get-PesterModulePath {
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    return Join-Path $packages 'pester/6.2.0/tools/Pester.psd1'
}

function Invoke-Clean {
    Write-Step 'Clean'
    foreach ($path in @($OutRoot) + (Get-ChildItem -Path (Join-Path $Root 'src'), (Join-Path $Root 'tests') -Directory -Recurse -Include bin, obj -ErrorAction SilentlyContinue).FullName) {
        if ($path -and (Test-Path $path)) { Remove-Item -Recurse -Force $path }
    }
}

function Invoke-Build {
    Write-Step "Build ($Configuration)"
    $version = Get-ModuleVersion
    Invoke-Native dotnet @('restore', (Join-Path $Root 'build/PsTools.csproj'), '--nologo', '-v', 'q')
    if (Test-Path $PublishDir) { Remove-Item -Recurse -Force $PublishDir }
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/VdcPS/VdcPS.csproj'), '-c', $Configuration, '-o', $PublishDir, '--nologo', '-v', 'q')

    if (Test-Path $ModuleOut) { Remove-Item -Recurse -Force $ModuleOut }
    $dependencies = New-Item -ItemType Directory -Force -Path (Join-Path $ModuleOut 'dependencies')
    foreach ($file in 'VdcPS.dll', 'VdcPS.pdb', 'VdcPS.format.ps1xml') {
        Copy-Item (Join-Path $PublishDir $file) $ModuleOut
    }
    foreach ($dll in $DependencyAllowList) {
        $source = Join-Path $PublishDir $dll
        if (-not (Test-Path $source)) { throw "Dependency '$dll' is missing from the publish output ($PublishDir)." }
        Copy-Item $source $dependencies
    }
    $unexpected = Get-ChildItem $PublishDir -Filter *.dll |
        Where-Object { $_.Name -ne 'VdcPS.dll' -and $_.Name -notin $DependencyAllowList }
    if ($unexpected) {
        throw "Publish produced dlls that are not on the allow-list: $($unexpected.Name -join ', '). Add them to `$DependencyAllowList or drop the reference."
    }
    if (Test-Path (Join-Path $ModuleOut 'System.Management.Automation.dll')) {
        throw 'System.Management.Automation.dll must never ship with the module.'
    }

    $manifest = (Get-Content -Raw (Join-Path $Root 'VdcPS.psd1')).Replace('{{ModuleVersion}}', $version).
        Replace('{{ReleaseNotes}}', (Get-ReleaseNotes $version).Replace("'", "''"))
    Set-Content -Path (Join-Path $ModuleOut 'VdcPS.psd1') -Value $manifest -Encoding utf8NoBOM
    Copy-Item (Join-Path $Root 'README.md') $ModuleOut -ErrorAction SilentlyContinue
    Copy-Item (Join-Path $Root 'LICENSE') $ModuleOut
    Copy-Item (Join-Path $Root 'CHANGELOG.md') $ModuleOut
    Copy-Item (Join-Path $Root 'examples/plans.yaml') (Join-Path $ModuleOut 'plans.sample.yaml')
    Invoke-Docs
    Write-Host "    module assembled in $ModuleOut (version $version)"
}

function Invoke-Docs {
    Write-Step 'Docs (markdown -> MAML)'
    $manifest = Join-Path $ModuleOut 'VdcPS.psd1'
    if (-not (Test-Path $manifest)) { throw 'Build the module first (-Task Build).' }
    $helpOut = Join-Path $ModuleOut 'en-US'
    $script = "`$ErrorActionPreference = 'Stop'; Import-Module '$Root/build/HelpCompiler.psm1'; ConvertTo-VdcMamlHelp -MarkdownPath '$Root/docs/en-US' -ModuleManifest '$manifest' -OutputPath '$helpOut' | Out-Null"
    # A fresh process: the compiler imports the built module, which must not stay loaded here.
    $code = Invoke-FreshPwsh @('-Command', $script)
    if ($code -ne 0) { throw "Help compilation failed (exit code $code)." }
}

function Test-LabRunning {
    if (-not (Test-Path $LabScript)) { return $false }
    & bash $LabScript status *> $null
    return $LASTEXITCODE -eq 0
}

function Invoke-Lab {
    if (-not (Test-Path $LabScript)) { throw "Lab script not found: $LabScript" }
    $verb = if ($Stop) { 'stop' } elseif ($Status) { 'status' } elseif ($Reset) { 'reset' } else { 'start' }
    Write-Step "Lab $verb"
    Invoke-Native bash @($LabScript, $verb)
}

function Get-TrxCounts([string] $Path) {
    $trx = [xml](Get-Content -Raw $Path)
    $counters = $trx.TestRun.ResultSummary.Counters
    return [pscustomobject]@{
        Passed  = [int]$counters.passed
        Failed  = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        Skipped = [int]$counters.notExecuted
    }
}

function Invoke-Test {
    Write-Step 'Test'
    # Always build: a module left in out/ by an earlier build may be older than the source.
    Invoke-Build
    if (Test-Path $TestResults) { Remove-Item -Recurse -Force $TestResults }
    New-Item -ItemType Directory -Force -Path $TestResults | Out-Null

    if (-not $NoLab -and -not (Test-LabRunning)) {
        Write-Step 'Lab is not running: starting it'
        Invoke-Native bash @($LabScript, 'start')
    }

    Write-Step 'xunit'
    $trxName = 'xunit.trx'
    & dotnet test (Join-Path $Root 'tests/VdcPS.Tests/VdcPS.Tests.csproj') -c $Configuration --nologo `
        --logger "trx;LogFileName=$trxName" --logger 'console;verbosity=minimal' --results-directory $TestResults
    $xunitExit = $LASTEXITCODE
    $trxPath = Join-Path $TestResults $trxName
    $xunit = if (Test-Path $trxPath) { Get-TrxCounts $trxPath } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    if ($xunitExit -ne 0 -and $xunit.Failed -eq 0) { $xunit.Failed = 1 }  # build failure: count it
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped"

    Write-Step 'Pester (fresh pwsh -NoProfile -NonInteractive against out/VdcPS)'
    $pesterSummary = Join-Path $TestResults 'pester-summary.json'
    $runner = Join-Path $Root 'tests/Invoke-PesterTests.ps1'
    $arguments = @('-File', $runner, '-PesterPath', (Get-PesterModulePath), '-ModulePath', (Join-Path $ModuleOut 'VdcPS.psd1'),
        '-ResultsPath', $TestResults, '-SummaryPath', $pesterSummary)
    if ($NoLab) { $arguments += '-NoLab' }
    $null = Invoke-FreshPwsh $arguments
    $pester = if (Test-Path $pesterSummary) { Get-Content -Raw $pesterSummary | ConvertFrom-Json } else { $null }
    if ($null -eq $pester -or $null -eq $pester.Passed -or $null -eq $pester.Failed) {
        # No summary means the runner died: count it as a failure, never as a pass.
        $pester = [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }
    Write-Host "pester: $($pester.Passed) passed, $($pester.Failed) failed, $($pester.Skipped) skipped"

    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    Write-Host ''
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    Write-Step 'Lab (start if needed)'
    Invoke-Native bash @($LabScript, 'start')
    Write-Step 'Demo'
    $code = Invoke-FreshPwsh @('-File', (Join-Path $Root 'examples/Invoke-Demo.ps1'), '-ModulePath', (Join-Path $ModuleOut 'VdcPS.psd1'))
    if ($code -ne 0) { throw "The demo failed (exit code $code)." }
}

function Invoke-Bench {
    # Ratios measured side by side in one run; never pass/fail on absolute times.
    if (-not (Test-Path (Join-Path $ModuleOut 'VdcPS.psd1'))) { Invoke-Build }
    if (-not (Test-LabRunning)) { Invoke-Native bash @($LabScript, 'start') }
    $summary = Join-Path $OutRoot 'bench-summary.jsonl'
    Remove-Item $summary -ErrorAction SilentlyContinue
    $env:VDCPS_BENCH_SUMMARY = $summary
    $machine = Get-MachineState
    try {
        foreach ($bench in Get-ChildItem (Join-Path $Root 'bench') -Filter 'Measure-*.ps1' | Sort-Object Name) {
            Write-Step "Bench $($bench.BaseName)"
            $code = Invoke-FreshPwsh @('-Command', "& '$($bench.FullName)' -ModulePath '$(Join-Path $ModuleOut 'VdcPS.psd1')' | Format-Table -AutoSize | Out-String -Width 160")
            if ($code -ne 0) { throw "$($bench.Name) failed (exit code $code)." }
        }
    }
    finally {
        Remove-Item Env:VDCPS_BENCH_SUMMARY -ErrorAction SilentlyContinue
    }

    # The ratio table: every bench's headline numbers together, with the machine they were taken on.
    Write-Step 'Ratio table'
    Write-Host "machine before: $machine"
    Write-Host "machine after:  $(Get-MachineState)"
    Get-Content $summary | ForEach-Object { $_ | ConvertFrom-Json } |
        Format-Table Bench, Measure, Value, Target -AutoSize -Wrap | Out-String -Width 200 | Write-Host
}

function Get-MachineState {
    $load = (Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -split ' ' | Select-Object -First 3
    $available = @((Get-Content /proc/meminfo -ErrorAction SilentlyContinue) -match '^MemAvailable:')[0] -replace '\D', ''
    $commit = (& git -C $Root rev-parse --short HEAD 2>$null)
    return '{0:u}, {1} cores, load {2}, {3:0.0} GiB available, commit {4}' -f [datetime]::UtcNow, [Environment]::ProcessorCount, ($load -join ' '), ([double]$available / 1MB), $commit
}

function Invoke-Package {
    # A versioned .nupkg in a local folder repository, made by PSResourceGet (bundled with pwsh),
    # so that Install-PSResource can install it from there.
    if (-not (Test-Path (Join-Path $ModuleOut 'VdcPS.psd1'))) { Invoke-Build }
    $repo = Join-Path $OutRoot 'repo'
    if (Test-Path $repo) { Remove-Item -Recurse -Force $repo }
    New-Item -ItemType Directory -Force -Path $repo | Out-Null
    Write-Step "Package into $repo"
    $name = "VdcPSBuild$PID"
    $script = "`$ErrorActionPreference = 'Stop'; Register-PSResourceRepository -Name $name -Uri '$repo' -Trusted; " +
        "try { Publish-PSResource -Path '$ModuleOut' -Repository $name } finally { Unregister-PSResourceRepository -Name $name }"
    $code = Invoke-FreshPwsh @('-Command', $script)
    if ($code -ne 0) { throw "Packaging failed (exit code $code)." }
    $package = Get-ChildItem $repo -Filter 'VdcPS.*.nupkg' | Select-Object -First 1
    if (-not $package) { throw "No package was written to $repo." }
    Write-Host "    $($package.FullName)"
}

foreach ($name in $Task) {
    & "Invoke-$name"
}
