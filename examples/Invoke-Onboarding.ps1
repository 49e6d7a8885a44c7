<#
.SYNOPSIS
    Onboarding runbook: a purchases CSV in, one VDC tenant per row out, credentials handed over safely.

.DESCRIPTION
    Reads purchases (Name, Plan, CustomerId, Email, UserName), provisions each tenant with
    New-VdcTenant (safe to rerun: tenants that already exist are left as they are), and writes each
    new user's credential to its own hand-over file readable only by the account running the
    runbook (mode 600 on Linux/macOS). No password is ever written to the console, a log or a
    transcript: the runbook prints where the hand-over files are. Deliver them through your
    secure channel, then delete them.

.EXAMPLE
    ./Invoke-Onboarding.ps1 -PurchasesPath ./purchases.csv -HandoverPath ./handover -Cloud vdcps-lab
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string] $PurchasesPath,
    [Parameter(Mandatory)] [string] $HandoverPath,
    [string] $Cloud,
    [string] $CatalogPath
)
$ErrorActionPreference = 'Stop'
Import-Module VdcPS -ErrorAction SilentlyContinue   # already imported when run from the tests/demo
if (-not (Get-VdcContext)) {
    $connect = @{}
    if ($Cloud) { $connect.Cloud = $Cloud }
    Connect-VdcCloud @connect | Out-Null
}
$context = Get-VdcContext
New-Item -ItemType Directory -Force -Path $HandoverPath | Out-Null
if (-not $IsWindows) { chmod 700 $HandoverPath }

$common = @{}
if ($CatalogPath) { $common.CatalogPath = $CatalogPath }
$results = Import-Csv -Path $PurchasesPath | New-VdcTenant @common -ErrorAction Continue -ErrorVariable failures -WhatIf:$WhatIfPreference

foreach ($tenant in $results) {
    if (-not $tenant.Credential) {
        Write-Host "  $($tenant.Name): already provisioned, nothing handed over"
        continue
    }
    $file = Join-Path $HandoverPath "$($tenant.Name).credential.txt"
    # create the file empty and private first, then write: the secret is never world-readable
    Set-Content -Path $file -Value '' -NoNewline
    if (-not $IsWindows) { chmod 600 $file }
    @(
        "Your virtual data center '$($tenant.Name)' (plan $($tenant.Plan)) is ready."
        "Identity (Keystone) URL: $($context.AuthUrl)"
        "Project: $($tenant.Name) (id $($tenant.Id)), domain $($tenant.DomainId)"
        "User name: $($tenant.Credential.UserName)"
        "Password: $($tenant.Credential.GetNetworkCredential().Password)"
        'Change the password at your first login.'
    ) | Set-Content -Path $file
    Write-Host "  $($tenant.Name): provisioned on $($tenant.Plan) for $($tenant.CustomerId); hand-over file $file"
}
$results | Select-Object Name, Plan, CustomerId, State, ActivatedAt
if ($failures) { Write-Warning "$($failures.Count) purchase(s) failed; see the errors above. Rerunning the runbook is safe." }
