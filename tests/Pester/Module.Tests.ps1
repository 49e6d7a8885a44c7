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

Describe 'Publishing metadata and the help story' -Tag Unit {
    BeforeAll {
        $data = Import-PowerShellDataFile $ModulePath
        $psData = $data.PrivateData.PSData
    }

    It 'declares only what is verified: PowerShell 7 (Core), not Windows PowerShell 5.1 (Desktop)' {
        $data.CompatiblePSEditions | Should -Be @('Core')
        [version]$data.PowerShellVersion | Should -BeGreaterOrEqual ([version]'7.2')
    }

    It 'has no placeholder ProjectUri, a license, and release notes from CHANGELOG.md' {
        $psData.ContainsKey('ProjectUri') | Should -BeFalse -Because 'the project has no public address yet: no placeholder'
        $psData.LicenseUri | Should -Match '^https://'
        Join-Path (Split-Path $ModulePath) 'LICENSE' | Should -Exist
        $changelog = Get-Content -Raw (Join-Path $RepoRoot 'CHANGELOG.md')
        $version = $Manifest.Version.ToString(3)
        $section = [regex]::Match($changelog, '(?ms)^## \[' + [regex]::Escape($version) + '\][^\n]*\n(.*?)(?=^## \[|\z)').Groups[1].Value.Trim()
        $section | Should -Not -BeNullOrEmpty -Because "CHANGELOG.md has a section for $version"
        $psData.ReleaseNotes | Should -Be $section
        $psData.ReleaseNotes | Should -Not -Match 'See README'
    }

    It 'promises no updatable help, and no help page links online to another product' {
        $data.ContainsKey('HelpInfoUri') | Should -BeFalse
        foreach ($cmd in Get-Command -Module VdcPS -CommandType Cmdlet) {
            $uris = @((Get-Help $cmd.Name).relatedLinks.navigationLink | Where-Object { $_.uri } | ForEach-Object uri)
            $uris | Should -BeNullOrEmpty -Because "Get-Help $($cmd.Name) -Online opens the first related link's address"
        }
        foreach ($page in Get-ChildItem (Join-Path $RepoRoot 'docs/en-US') -Filter '*-Vdc*.md') {
            (Get-Content $page.FullName -TotalCount 6) -match '^online version:\s*\S' | Should -BeNullOrEmpty -Because $page.Name
        }
    }

    It 'about_VdcPS leads to every other about_ topic, and says how -Debug behaves' {
        $about = Get-Help about_VdcPS | Out-String
        foreach ($topic in Get-ChildItem (Join-Path $RepoRoot 'docs/en-US') -Filter 'about_VdcPS_*.md') {
            $about | Should -Match $topic.BaseName
        }
        $about | Should -Match 'NonInteractive'
    }

    It 'Get-VdcVersion''s default list view shows the operating system' {
        $text = Get-VdcVersion | Out-String -Width 120
        $text | Should -Match 'OperatingSystem\s*:\s*\S'
    }
}
