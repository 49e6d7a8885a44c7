@{
    # Source manifest: build.ps1 replaces {{ModuleVersion}} (from Directory.Build.props) and
    # writes the result to out/VdcPS/VdcPS.psd1. CmdletsToExport is explicit, never a wildcard.
    RootModule           = 'VdcPS.dll'
    ModuleVersion        = '{{ModuleVersion}}'
    GUID                 = '6f0d5c61-2a4e-4c1e-9d7b-3f6a8e0b9c21'
    Author               = 'VdcPS contributors'
    CompanyName          = 'VdcPS'
    Copyright            = '(c) VdcPS contributors. MIT License.'
    Description          = 'Sell OpenStack capacity as virtual data centers: connect to clouds, provision tenants from VDC plans, manage quotas, collect usage and rate it into invoice lines.'
    # PowerShell 7 only: Windows PowerShell 5.1 (Desktop) has never been run (see README, Platforms).
    PowerShellVersion    = '7.2'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('VdcPS.format.ps1xml')
    CmdletsToExport      = @(
        'Connect-VdcCloud'
        'Disconnect-VdcCloud'
        'Get-VdcContext'
        'Select-VdcContext'
        'Get-VdcVersion'
        'Get-VdcPlan'
        'Test-VdcPlan'
        'New-VdcTenant'
        'Get-VdcTenant'
        'Set-VdcTenant'
        'Suspend-VdcTenant'
        'Resume-VdcTenant'
        'Remove-VdcTenant'
        'Get-VdcTenantResource'
        'Test-VdcTenant'
        'Repair-VdcTenant'
        'Get-VdcAuditEntry'
        'Get-VdcQuota'
        'Set-VdcQuota'
        'Get-VdcUsage'
        'Measure-VdcCharge'
        'ConvertTo-VdcInvoice'
        'Export-VdcInvoice'
        'Get-VdcCloudKittyCharge'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('OpenStack', 'Cloud', 'Billing', 'Quota', 'Keystone', 'Nova', 'Cinder', 'Neutron', 'Gnocchi')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            # No ProjectUri: the project has no public address yet. No HelpInfoUri: help ships in the
            # module and is not updatable. ReleaseNotes: the build stamps CHANGELOG.md's section.
            ReleaseNotes = '{{ReleaseNotes}}'
        }
    }
}
