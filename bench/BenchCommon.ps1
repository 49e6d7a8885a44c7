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

# The load average (1, 5, 15 min), printed beside each measurement: the machine is shared.
function Get-BenchLoad { (Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -split ' ' | Select-Object -First 3 }

# --- Managed tenants made by bench/raw-quota-floor.py, read by VdcPS and by that floor side by side
# (Measure-QuotaRead, Measure-Drift): create them, read their quotas at the floor, delete them.
function New-BenchTenantSet([Parameter(Mandatory)] [int] $Count, [Parameter(Mandatory)] [string] $Prefix) {
    $run = "$Prefix-" + [guid]::NewGuid().ToString('N').Substring(0, 6)
    $set = [pscustomobject]@{
        Run = $run; Floor = (Join-Path $PSScriptRoot 'raw-quota-floor.py')
        IdsFile = (Join-Path ([IO.Path]::GetTempPath()) "$run-ids.json"); Ids = @()
    }
    Write-Host "Creating $Count managed tenants ($run-*) ..."
    $sw = [Diagnostics.Stopwatch]::StartNew()
    & /usr/bin/python3 $set.Floor create --count $Count --prefix $run | Set-Content $set.IdsFile
    if ($LASTEXITCODE) { throw 'creating the bench tenants failed' }
    $set.Ids = Get-Content $set.IdsFile -Raw | ConvertFrom-Json
    Write-Host ("  {0} tenants in {1:0.0} s" -f $set.Ids.Count, $sw.Elapsed.TotalSeconds)
    return $set
}

function Remove-BenchTenantSet([Parameter(Mandatory)] $Set) {
    Write-Host 'Deleting the bench tenants ...'
    & /usr/bin/python3 $Set.Floor delete --ids $Set.IdsFile | Out-Null
    Remove-Item $Set.IdsFile -ErrorAction SilentlyContinue
}

# The floor's quota reads of every tenant of the set, $Throttle in flight: one result row.
function Measure-QuotaFloor([Parameter(Mandatory)] $Set, [Parameter(Mandatory)] [int] $Throttle, [Parameter(Mandatory)] [string] $Microversion) {
    Write-Host "raw HTTP floor, concurrency $Throttle ..."
    $before = Get-BenchLoad
    $raw = & /usr/bin/python3 $Set.Floor read --ids $Set.IdsFile --concurrency $Throttle --microversion $Microversion | ConvertFrom-Json
    [pscustomobject]@{ Tool = "raw HTTP floor (python, $Throttle in flight)"; Tenants = $raw.tenants; Requests = $raw.requests; Seconds = $raw.seconds
        Rows = $null; CsvClean = $null; WorkingSetMB = $null; Load = "$before" }
}

# Adds MsPerTenant, TenantsPerSecond and VsRawFloor to each row: per tenant, relative to the floor row
# at the same concurrency ("throttle N" / "N in flight"); a row without one is compared with the best
# floor when -OthersToBestFloor, else gets no ratio.
function Add-FloorRatio([Parameter(Mandatory)] [object[]] $Results, [switch] $OthersToBestFloor) {
    $floorPer = @{}
    foreach ($r in $Results | Where-Object Tool -like 'raw*') { $floorPer[[int]($r.Tool -replace '\D+(\d+) in flight.*', '$1')] = $r.Seconds / $r.Tenants }
    $bestFloor = if ($OthersToBestFloor) { ($floorPer.Values | Measure-Object -Minimum).Minimum } else { $null }
    foreach ($r in $Results) {
        $per = $r.Seconds / $r.Tenants
        $same = if ($r.Tool -match 'throttle (\d+)' -or $r.Tool -match '(\d+) in flight') { $floorPer[[int]$Matches[1]] } else { $bestFloor }
        $r | Add-Member MsPerTenant ([math]::Round(1000 * $per, 1))
        $r | Add-Member TenantsPerSecond ([math]::Round(1 / $per, 1))
        $r | Add-Member VsRawFloor ($(if ($same) { [math]::Round($per / $same, 2) } else { $null }))
    }
}
