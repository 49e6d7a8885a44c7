# Dot-sourced by the bench scripts. When VdcPS_BENCH_SUMMARY names a file (build.ps1 -Task Bench
# sets it), each headline ratio is appended to it as one JSON line; build.ps1 prints them together
# at the end as the ratio table, with the machine's state. Nothing here judges the numbers.
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
