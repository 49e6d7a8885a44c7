<#
.SYNOPSIS
    Median time of `Import-Module VdcPS` in fresh pwsh processes, measured side by side with the
    median import of Microsoft.PowerShell.PSResourceGet (the binary module bundled with pwsh whose
    dependency-isolation design VdcPS follows) in the same run, and the
    time of the first cmdlet call after import (which loads the isolated dependencies).
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/VdcPS/VdcPS.psd1'),
    [int] $Runs = 11
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')
$ModulePath = (Resolve-Path $ModulePath).Path

function Measure-Fresh([string] $Script) {
    $times = foreach ($i in 1..$Runs) {
        $out = Invoke-BenchPwsh "`$ErrorActionPreference = 'Stop'; $Script"
        if ($LASTEXITCODE -ne 0) { throw "The measured command failed: $out" }
        [double]($out | Select-Object -Last 1)
    }
    $sorted = $times | Sort-Object
    return $sorted[[int][math]::Floor($sorted.Count / 2)]
}

$vdc = Measure-Fresh "(Measure-Command { Import-Module '$ModulePath' }).TotalMilliseconds"
$vdcFirstCall = Measure-Fresh "Import-Module '$ModulePath'; (Measure-Command { Get-VdcVersion | Out-Null }).TotalMilliseconds"
$reference = Measure-Fresh "(Measure-Command { Import-Module Microsoft.PowerShell.PSResourceGet }).TotalMilliseconds"

Add-BenchRatio 'import' 'Import-Module VdcPS, median ms (VdcPS / PSResourceGet)' ("{0} ({1})" -f [math]::Round($vdc, 1), [math]::Round($vdc / $reference, 2)) ''
[pscustomobject]@{ Measure = 'Import-Module VdcPS (median ms)'; Value = [math]::Round($vdc, 1) }
[pscustomobject]@{ Measure = 'Import-Module Microsoft.PowerShell.PSResourceGet (median ms)'; Value = [math]::Round($reference, 1) }
[pscustomobject]@{ Measure = 'ratio VdcPS / PSResourceGet'; Value = [math]::Round($vdc / $reference, 2) }
[pscustomobject]@{ Measure = 'first Get-VdcVersion call after import (median ms)'; Value = [math]::Round($vdcFirstCall, 1) }
