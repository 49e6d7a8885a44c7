BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Cmdlets = @(Get-Command -Module VdcPS -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Manifest = Test-ModuleManifest -Path $ModulePath
}

Describe 'The built module' -Tag Unit {
    It 'has a valid manifest with the version of Directory.Build.props' {
        $props = [xml](Get-Content -Raw (Join-Path $RepoRoot 'Directory.Build.props'))
        $Manifest.Version | Should -Be ([version]$props.Project.PropertyGroup.ModuleVersion)
    }

    It 'exports exactly the cmdlets its manifest lists, with no wildcards' {
        $data = Import-PowerShellDataFile $ModulePath
        $data.CmdletsToExport | Should -Not -Contain '*'
        $data.FunctionsToExport.Count | Should -Be 0
        $data.AliasesToExport.Count | Should -Be 0
        $exported = (Get-Command -Module VdcPS).Name | Sort-Object
        $exported | Should -Be ($data.CmdletsToExport | Sort-Object)
    }

    It 'keeps its dependencies out of the module root' {
        $folder = Split-Path $ModulePath
        Get-ChildItem $folder -Filter *.dll | ForEach-Object Name | Should -Be 'VdcPS.dll'
        Test-Path (Join-Path $folder 'dependencies/Flurl.Http.dll') | Should -BeTrue
        Test-Path (Join-Path $folder 'dependencies/YamlDotNet.dll') | Should -BeTrue
        Test-Path (Join-Path $folder 'System.Management.Automation.dll') | Should -BeFalse
    }

    It '<Name> uses an approved verb, a Vdc-prefixed singular noun, and declares its output type' -ForEach $Cmdlets {
        $command = Get-Command $Name
        (Get-Verb).Verb | Should -Contain $command.Verb
        $command.Noun | Should -Match '^Vdc[A-Z][a-z]+([A-Z][a-z]+)*$'
        $command.Noun | Should -Not -Match 's$'
        $command.ImplementingType.GetCustomAttributes([System.Management.Automation.OutputTypeAttribute], $true) | Should -Not -BeNullOrEmpty
    }

    It '<Name> has a test file' -ForEach $Cmdlets {
        Test-Path (Join-Path $PSScriptRoot "$Name.Tests.ps1") | Should -BeTrue
    }

    It 'Get-VdcVersion reports the module and the isolated dependencies' {
        $info = Get-VdcVersion
        $info.Module | Should -Be 'VdcPS'
        # the assembly version has four parts (0.1.0.0), the manifest three (0.1.0)
        $info.ModuleVersion.ToString(3) | Should -Be $Manifest.Version.ToString(3)
        $info.PowerShellVersion | Should -Be $PSVersionTable.PSVersion.ToString().Split('-')[0]
        $info.DependenciesIsolated | Should -BeTrue
        $info.ModulePath | Should -Be (Split-Path $ModulePath)
    }

    It 'exposes no dependency type in a public type of VdcPS.dll' {
        $assembly = [VdcPS.Models.VdcContext].Assembly
        $foreign = foreach ($type in $assembly.GetExportedTypes()) {
            $members = @($type.GetProperties()) + @($type.GetFields()) + @($type.GetMethods() | Where-Object { $_.IsPublic -or $_.IsFamily })
            foreach ($member in $members) {
                $types = switch ($member.MemberType) {
                    'Property' { $member.PropertyType }
                    'Field' { $member.FieldType }
                    'Method' { @($member.ReturnType) + @($member.GetParameters().ParameterType) }
                }
                foreach ($t in $types | Where-Object { $_ }) {
                    if ($t.Assembly.GetName().Name -in 'Flurl', 'Flurl.Http', 'YamlDotNet') { "$($type.FullName).$($member.Name)" }
                }
            }
            if ($type.BaseType -and $type.BaseType.Assembly.GetName().Name -in 'Flurl', 'Flurl.Http', 'YamlDotNet') { $type.FullName }
        }
        $foreign | Should -BeNullOrEmpty
    }
}
