# Another module's YamlDotNet (16.x, assembly 16.0.0.0) or a newer System.Text.Json (11.0.0.0)
# loaded in the same session must not break VdcPS, in either load order. Each case runs in a
# fresh process, because an assembly once loaded stays loaded.
BeforeDiscovery {
    $script:Orders = @(
        @{ Order = 'other module first'; OtherFirst = $true }
        @{ Order = 'VdcPS first'; OtherFirst = $false }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
    $script:OtherYaml = Join-Path $packages 'yamldotnet/16.3.0/lib/netstandard2.0/YamlDotNet.dll'
    $script:NewerJson = Join-Path $packages 'system.text.json/11.0.0/lib/net10.0/System.Text.Json.dll'
    $script:ConfigDir = Join-Path ([IO.Path]::GetTempPath()) ("vdcps-alc-" + [guid]::NewGuid())
    New-Item -ItemType Directory $ConfigDir | Out-Null
    # A cloud whose Keystone does not exist: parsing clouds.yaml needs YamlDotNet, the attempt needs
    # Flurl and System.Text.Json; the expected outcome is a clean ServiceUnreachable error.
    Set-Content (Join-Path $ConfigDir 'clouds.yaml') "clouds:`n  probe:`n    auth:`n      auth_url: http://127.0.0.1:1/v3`n      username: u`n      password: p`n      project_name: p`n"
}
AfterAll { Remove-Item -Recurse -Force $ConfigDir -ErrorAction SilentlyContinue }

Describe 'Dependency isolation' -Tag Unit {
    It 'the conflicting assemblies used by the test exist' {
        Test-Path $OtherYaml | Should -BeTrue
        Test-Path $NewerJson | Should -BeTrue
    }

    It 'another YamlDotNet in the session does not break VdcPS (<Order>)' -ForEach $Orders {
        $loadOther = "Add-Type -Path '$OtherYaml'; `$other = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'YamlDotNet' -and `$_.GetName().Version.Major -eq 16 }"
        $script = @"
`$ErrorActionPreference = 'Stop'
`$env:OS_CLIENT_CONFIG_FILE = '$ConfigDir/clouds.yaml'
$(if ($OtherFirst) { $loadOther })
Import-Module '$ModulePath'
$(if (-not $OtherFirst) { $loadOther })
try { Connect-VdcCloud -Cloud probe -TimeoutSec 2 } catch { 'ERRORID=' + `$_.FullyQualifiedErrorId }
'ISOLATED=' + (Get-VdcVersion).DependenciesIsolated
'YAMLS=' + ((@([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'YamlDotNet' }) | ForEach-Object { `$_.GetName().Version.Major } | Sort-Object) -join ',')
# the other module's YamlDotNet still works for the other module
'OTHER=' + ((New-Object YamlDotNet.Serialization.Deserializer).GetType().Assembly.GetName().Version.Major)
"@
        $out = Invoke-FreshPwsh $script
        $text = $out -join "`n"
        $text | Should -Match 'ERRORID=ServiceUnreachable,VdcPS.Commands.ConnectVdcCloudCommand'
        $text | Should -Match 'ISOLATED=True'
        $text | Should -Match 'YAMLS=16,18'
        $text | Should -Match 'OTHER=16'
    }

    It 'a newer System.Text.Json in the session does not break VdcPS' {
        # pwsh 7.6 has System.Text.Json 10.0.0.0 loaded from its start, so no module can put 11.0.0.0
        # into the default load context; a module that needs 11 loads it into a context of its own.
        # VdcPS must keep working beside it, and bind to the framework's copy, not to 11.
        $script = @"
`$ErrorActionPreference = 'Stop'
`$env:OS_CLIENT_CONFIG_FILE = '$ConfigDir/clouds.yaml'
'DEFAULT=' + `$(try { Add-Type -Path '$NewerJson'; 'loaded' } catch { 'refused' })
`$alc = [System.Runtime.Loader.AssemblyLoadContext]::new('other-module', `$false)
'OTHER=' + `$alc.LoadFromAssemblyPath('$NewerJson').GetName().Version.Major
Import-Module '$ModulePath'
try { Connect-VdcCloud -Cloud probe -TimeoutSec 2 } catch { 'ERRORID=' + `$_.FullyQualifiedErrorId }
'VDCPS_JSON=' + ([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'System.Text.Json' -and [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name -ne 'other-module' } | ForEach-Object { `$_.GetName().Version.Major })
"@
        $text = (Invoke-FreshPwsh $script) -join "`n"
        $text | Should -Match 'DEFAULT=refused'
        $text | Should -Match 'OTHER=11'
        $text | Should -Match 'ERRORID=ServiceUnreachable,VdcPS.Commands.ConnectVdcCloudCommand'
        $text | Should -Match 'VDCPS_JSON=10'
    }
}
