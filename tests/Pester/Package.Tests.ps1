# The Package task's .nupkg installs with Install-PSResource (bundled with pwsh) from a local folder
# repository into a clean module path, in a fresh process, and its cmdlets then work.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:repo = Join-Path ([IO.Path]::GetTempPath()) "vdcps-repo-$([guid]::NewGuid())"
    $script:home2 = Join-Path ([IO.Path]::GetTempPath()) "vdcps-home-$([guid]::NewGuid())"
    New-Item -ItemType Directory $repo, $home2 | Out-Null
    # package the module under test (the same steps as build.ps1 -Task Package)
    $moduleFolder = Split-Path $ModulePath
    $name = "VdcPSTest$PID"
    $out = Invoke-FreshPwsh "`$ErrorActionPreference = 'Stop'; Register-PSResourceRepository -Name $name -Uri '$repo' -Trusted; try { Publish-PSResource -Path '$moduleFolder' -Repository $name } finally { Unregister-PSResourceRepository -Name $name }"
    $script:package = Get-ChildItem $repo -Filter 'VdcPS.*.nupkg' | Select-Object -First 1
}
AfterAll { Remove-Item -Recurse -Force $repo, $home2 -ErrorAction SilentlyContinue }

Describe 'Package' -Tag Unit {
    It 'is a versioned nupkg' {
        $package | Should -Not -BeNullOrEmpty
        $version = (Import-PowerShellDataFile $ModulePath).ModuleVersion
        $package.Name | Should -Be "VdcPS.$version.nupkg"
    }

    It 'installs with Install-PSResource into a clean module path and runs a cmdlet' {
        # A fresh HOME: the CurrentUser scope then starts empty, and nothing else is on the path.
        # The child gets its own HOME from the start (PSResourceGet reads its store location at load).
        $saved = @{ HOME = $env:HOME; XDG_DATA_HOME = $env:XDG_DATA_HOME }
        $env:HOME = $home2
        $env:XDG_DATA_HOME = Join-Path $home2 '.local/share'
        Push-Location $home2
        try {
        $out = Invoke-FreshPwsh @"
`$ErrorActionPreference = 'Stop'
`$env:PSModulePath = Join-Path '$home2' '.local/share/powershell/Modules'
Register-PSResourceRepository -Name LocalVdcPS -Uri '$repo' -Trusted
Install-PSResource -Name VdcPS -Repository LocalVdcPS -Scope CurrentUser -TrustRepository
`$installed = Get-Module -ListAvailable VdcPS
'PATH=' + `$installed.ModuleBase
Import-Module VdcPS
'VERSION=' + (Get-VdcVersion).ModuleVersion.ToString(3)
'ISOLATED=' + (Get-VdcVersion).DependenciesIsolated
'PLANS=' + ((Get-VdcPlan -CatalogPath (Join-Path `$installed.ModuleBase 'plans.sample.yaml')).Count)
'HELP=' + (Get-Help New-VdcTenant).Synopsis
"@
        }
        finally {
            Pop-Location
            $env:HOME = $saved.HOME
            $env:XDG_DATA_HOME = $saved.XDG_DATA_HOME
        }
        $text = $out -join "`n"
        $text | Should -Match ([regex]::Escape("PATH=$home2"))
        $text | Should -Match "VERSION=$((Import-PowerShellDataFile $ModulePath).ModuleVersion)"
        $text | Should -Match 'ISOLATED=True'
        $text | Should -Match 'PLANS=[1-9]'
        $text | Should -Match 'HELP=\w+'
    }
}
