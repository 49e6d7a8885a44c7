# Dot-sourced by the bench scripts: what more than one of them needs.

# When VDCPS_BENCH_SUMMARY names a file (build.ps1 -Task Bench sets it), each headline ratio is
# appended to it as one JSON line; build.ps1 prints them together at the end as the ratio table,
# with the machine's state. Nothing here judges the numbers.
function Add-BenchRatio {
    param(
        [Parameter(Mandatory)] [string] $Bench,
        [Parameter(Mandatory)] [string] $Measure,
        [Parameter(Mandatory)] [AllowNull()] $Value,
        [string] $Target = ''
    )
    if (-not $env:VDCPS_BENCH_SUMMARY) { return }
    $line = [ordered]@{ Bench = $Bench; Measure = $Measure; Value = "$Value"; Target = $Target } | ConvertTo-Json -Compress
    Add-Content -LiteralPath $env:VDCPS_BENCH_SUMMARY -Value $line -Encoding utf8
}

# Runs a script in a fresh pwsh (the native executable when there is one, else the dotnet tool's
# pwsh.dll) and returns its output lines; $LASTEXITCODE is the child's exit code afterwards.
function Invoke-BenchPwsh([Parameter(Mandatory)] [string] $Script) {
    $native = Join-Path $PSHOME 'pwsh'
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
    if (Test-Path $native) {
        & $native -NoProfile -NonInteractive -EncodedCommand $encoded
    }
    else {
        & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -EncodedCommand $encoded
    }
}

# The HTTP requests among a cmdlet's -Debug records: VdcPS writes one line per request
# ("HTTP POST ... -> 201 in 12 ms").
function Get-HttpRequestCount([object[]] $Records) {
    @($Records | Where-Object { $_ -is [System.Management.Automation.DebugRecord] -and $_.Message -match '^HTTP \w+ .* -> \d{3} ' }).Count
}
