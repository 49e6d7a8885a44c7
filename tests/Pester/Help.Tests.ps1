#Requires -Version 7.2
<#
    Help of the BUILT module, read back through Get-Help (the way users see it), in the fresh
    non-interactive pwsh that runs the Pester tests.

    Module: $env:VDCPS_MODULE_PATH (a .psd1, or the folder that holds VdcPS.psd1), else
    <repo>/out/VdcPS/VdcPS.psd1.

    Broken or missing MAML does not fail Get-Help: it silently falls back to help generated from the
    metadata (synopsis = syntax line, no description, no examples). So every check below reads the
    help object and fails on that fallback.
#>

BeforeDiscovery {
    $repoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).ProviderPath
    $manifest = if ($env:VDCPS_MODULE_PATH) { $env:VDCPS_MODULE_PATH } else { Join-Path $repoRoot 'out/VdcPS/VdcPS.psd1' }
    if (Test-Path -LiteralPath $manifest -PathType Container) { $manifest = Join-Path $manifest 'VdcPS.psd1' }

    $cmdletCases = @()
    if (Test-Path -LiteralPath $manifest -PathType Leaf) {
        Get-Module -Name VdcPS | Remove-Module -Force
        $module = Import-Module -Name $manifest -PassThru -Force -ErrorAction Stop
        $cmdletCases = @($module.ExportedCmdlets.Values | Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
    }
    $aboutCases = @(Get-ChildItem -LiteralPath (Join-Path $repoRoot 'docs/en-US') -Filter 'about_*.md' -File -ErrorAction SilentlyContinue |
            ForEach-Object { @{ Topic = $_.BaseName } })
}

Describe 'Help of the built VdcPS module' -Tag Help {
    BeforeAll {
        $repoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).ProviderPath
        $manifest = if ($env:VDCPS_MODULE_PATH) { $env:VDCPS_MODULE_PATH } else { Join-Path $repoRoot 'out/VdcPS/VdcPS.psd1' }
        if (Test-Path -LiteralPath $manifest -PathType Container) { $manifest = Join-Path $manifest 'VdcPS.psd1' }
        $docs = Join-Path $repoRoot 'docs/en-US'
        if (Test-Path -LiteralPath $manifest -PathType Leaf) {
            $module = Import-Module -Name $manifest -PassThru -Force -ErrorAction Stop
        }
        $common = [System.Management.Automation.Cmdlet]::CommonParameters

        function Get-Text($Value) {
            # Get-Help text fields are arrays of objects with a Text property (or plain strings).
            (@($Value | ForEach-Object { if ($_ -is [string]) { $_ } elseif ($_.PSObject.Properties['Text']) { $_.Text } }) -join "`n").Trim()
        }

        function Get-TypeNames([type] $Type) {
            # Names a help file may use for a parameter type: short or full, with a nullable value
            # type shown as its underlying type.
            $names = [System.Collections.Generic.List[string]]::new()
            foreach ($t in @($Type, [Nullable]::GetUnderlyingType($Type))) {
                if (-not $t) { continue }
                $names.Add($t.Name); $names.Add($t.FullName)
                if ($t.IsGenericType) {
                    $names.Add(($t.Name -replace '`\d+$', '') + '[' + (@($t.GetGenericArguments() | ForEach-Object Name) -join ', ') + ']')
                }
            }
            $names
        }
    }

    It 'finds the built module' {
        $manifest | Should -Exist -Because 'build the module first (./build.ps1 -Task Build) or set VDCPS_MODULE_PATH'
        $module.ExportedCmdlets.Count | Should -BeGreaterThan 0
    }

    It 'ships the MAML file next to the module assembly' {
        $dll = [System.IO.Path]::GetFileName((Import-PowerShellDataFile -LiteralPath $manifest).RootModule)
        Join-Path $module.ModuleBase "en-US/$dll-Help.xml" | Should -Exist
    }

    Context '<Name>' -ForEach $cmdletCases {
        BeforeAll {
            $command = Get-Command -Name $Name -Module VdcPS
            $help = Get-Help -Name $Name -Full
            $parameters = @($command.Parameters.Values | Where-Object { -not $common.Contains($_.Name) })
            $helpParameters = @($help.parameters.parameter | Where-Object { $_ -and $_.name })
        }

        It 'has a markdown page in docs/en-US' {
            Join-Path $docs "$Name.md" | Should -Exist
        }

        It 'is read from MAML, not generated from metadata' {
            $help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo' -Because 'Get-Help falls back silently when the MAML file is missing or broken'
        }

        It 'has a synopsis that is not the generated syntax line' {
            $synopsis = Get-Text $help.Synopsis
            $synopsis | Should -Not -BeNullOrEmpty
            $synopsis | Should -Not -Match '\[<CommonParameters>\]'
            $synopsis | Should -Not -Match "^$([regex]::Escape($Name))(\s|$)"
        }

        It 'has a description' {
            Get-Text $help.description | Should -Not -BeNullOrEmpty
        }

        It 'has at least two examples' {
            @($help.examples.example).Count | Should -BeGreaterOrEqual 2
        }

        It 'has code and remarks in every example' {
            $bad = foreach ($example in @($help.examples.example)) {
                if (-not ([string]$example.code).Trim()) { "$($example.title): no code" }
                if (-not (Get-Text $example.remarks)) { "$($example.title): no remarks" }
            }
            $bad | Should -BeNullOrEmpty
        }

        It 'has an example that pipes into Export-Csv' {
            @($help.examples.example | Where-Object { $_.code -match '\|\s*Export-Csv\b' }).Count | Should -BeGreaterThan 0
        }

        It 'describes every parameter' {
            $bad = foreach ($p in $parameters) {
                $hp = $helpParameters | Where-Object name -EQ $p.Name
                if (-not $hp) { "-$($p.Name): not in help" }
                elseif (-not (Get-Text $hp.description)) { "-$($p.Name): no description" }
            }
            $bad | Should -BeNullOrEmpty
        }

        It 'documents no parameter that the cmdlet does not have' {
            $names = @($parameters | ForEach-Object Name)
            @($helpParameters | Where-Object { $_.name -notin $names } | ForEach-Object name) | Should -BeNullOrEmpty
        }

        It 'has Required as in the metadata (mandatory in any parameter set)' {
            $bad = foreach ($p in $parameters) {
                $hp = $helpParameters | Where-Object name -EQ $p.Name
                if (-not $hp) { continue }
                $expected = [bool]($p.ParameterSets.Values | Where-Object IsMandatory)
                if ([string]$hp.required -ne $expected.ToString()) { "-$($p.Name): help says required=$($hp.required), cmdlet says $expected" }
            }
            $bad | Should -BeNullOrEmpty
        }

        It 'has one syntax item per parameter set, with Required as in that set' {
            $items = @($help.syntax.syntaxItem)
            $items.Count | Should -Be @($command.ParameterSets).Count
            $bad = foreach ($set in $command.ParameterSets) {
                $setParams = @($set.Parameters | Where-Object { -not $common.Contains($_.Name) })
                $key = (@($setParams.Name | Sort-Object) -join ',')
                $match = @($items | Where-Object { (@($_.parameter | Where-Object { $_ } | ForEach-Object name | Sort-Object) -join ',') -eq $key })
                if ($match.Count -eq 0) { "set $($set.Name): no syntax item with parameters [$key]"; continue }
                foreach ($p in $setParams) {
                    $sp = @($match[0].parameter | Where-Object name -EQ $p.Name)[0]
                    if ([string]$sp.required -ne $p.IsMandatory.ToString()) { "set $($set.Name) -$($p.Name): required=$($sp.required), cmdlet says $($p.IsMandatory)" }
                }
            }
            $bad | Should -BeNullOrEmpty
        }

        It 'has parameter types as in the metadata' {
            $bad = foreach ($p in $parameters) {
                $hp = $helpParameters | Where-Object name -EQ $p.Name
                if (-not $hp) { continue }
                $allowed = Get-TypeNames $p.ParameterType
                if ([string]$hp.type.name -notin $allowed) { "-$($p.Name): help type '$($hp.type.name)', cmdlet type '$($p.ParameterType.FullName)'" }
            }
            $bad | Should -BeNullOrEmpty
        }
    }

    Context '<Topic>' -ForEach $aboutCases {
        It 'ships <Topic>.help.txt in the module''s en-US folder' {
            Join-Path $module.ModuleBase "en-US/$Topic.help.txt" | Should -Exist
        }

        It 'is found by Get-Help <Topic>' {
            $text = Get-Help -Name $Topic -ErrorAction Stop | Out-String
            $text.Trim() | Should -Not -BeNullOrEmpty
            $text | Should -Match 'SHORT DESCRIPTION'
            $text | Should -Match ([regex]::Escape($Topic))
        }
    }
}
