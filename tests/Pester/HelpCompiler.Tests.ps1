#Requires -Version 7.2
<#
    Unit tests of build/HelpCompiler.psm1 against a throwaway binary module ("HelpProbe") that is
    compiled here with Add-Type, so they do not depend on the VdcPS build. HelpProbe covers what VdcPS
    cmdlets will use: several parameter sets, a parameter mandatory in one set and optional in
    another, pipeline input by value and by property name, wildcards, aliases, an enum, a ValidateSet,
    a nullable int, a switch, and SupportsShouldProcess (WhatIf/Confirm).
#>

BeforeAll {
    $repoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).ProviderPath
    Import-Module (Join-Path $repoRoot 'build/HelpCompiler.psm1') -Force

    $work = Join-Path ([System.IO.Path]::GetTempPath()) ("helpcompiler-" + [guid]::NewGuid().ToString('N'))
    $moduleDir = Join-Path $work 'HelpProbe'
    $null = New-Item -ItemType Directory -Path $moduleDir -Force
    # A unique assembly name per run: an assembly cannot be unloaded, and a second run in the same
    # process must not pick up the first run's copy.
    $assemblyName = 'HelpProbe' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    Add-Type -OutputAssembly (Join-Path $moduleDir "$assemblyName.dll") -OutputType Library -TypeDefinition @'
using System.Management.Automation;

namespace HelpProbe
{
    public enum ProbeColor { Red, Green, Blue }

    public sealed class ProbeItem
    {
        public string Name { get; set; }
        public string Id { get; set; }
    }

    [Cmdlet(VerbsCommon.Get, "ProbeItem", DefaultParameterSetName = "ByName")]
    [OutputType(typeof(ProbeItem))]
    public sealed class GetProbeItemCommand : PSCmdlet
    {
        [Parameter(ParameterSetName = "ByName", Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [Alias("ItemName")]
        public string[] Name { get; set; }

        [Parameter(ParameterSetName = "ById", Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public string[] Id { get; set; }

        [Parameter(ParameterSetName = "ByObject", Mandatory = true, ValueFromPipeline = true)]
        public ProbeItem[] InputObject { get; set; }

        [Parameter(ParameterSetName = "ById", Mandatory = true)]
        [Parameter(ParameterSetName = "ByName")]
        public string Region { get; set; }

        [Parameter]
        public ProbeColor Color { get; set; }

        [Parameter]
        [ValidateSet("Small", "Large")]
        public string Size { get; set; }

        [Parameter]
        public int? Limit { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord() { WriteObject(new ProbeItem { Name = "x", Id = "1" }); }
    }

    [Cmdlet(VerbsCommon.Remove, "ProbeItem", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class RemoveProbeItemCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        public string Name { get; set; }
    }
}
'@
    $manifest = Join-Path $moduleDir 'HelpProbe.psd1'
    New-ModuleManifest -Path $manifest -RootModule "$assemblyName.dll" -ModuleVersion '1.0.0' `
        -CmdletsToExport 'Get-ProbeItem', 'Remove-ProbeItem' -FunctionsToExport @() -AliasesToExport @() -VariablesToExport @()
    $helpFile = "$assemblyName.dll-Help.xml"

    $frontMatter = @"
---
external help file: $helpFile
Module Name: HelpProbe
online version: https://example.invalid/help/{0}
schema: 2.0.0
---

"@
    $pages = @{}
    $pages['Get-ProbeItem.md'] = ($frontMatter -f 'Get-ProbeItem') + @'
# Get-ProbeItem

## SYNOPSIS
Gets probe items & friends <by name>.

## SYNTAX

### ByName (Default)
```
Get-ProbeItem [[-Name] <String[]>] [-Region <String>] [<CommonParameters>]
```

## DESCRIPTION
The **Get-ProbeItem** cmdlet gets `ProbeItem` objects. See [the docs](https://example.invalid/docs)
for more. Special characters survive: <tag> & "quotes" 'apostrophes'.

Second paragraph with a list:

- first item
- second item that is
  continued on the next line

## EXAMPLES

### Example 1: Get items {with braces}
```powershell
PS C:\> Get-ProbeItem -Name a*
```

Gets the items whose names start with a.

### Example 2: Save items
```powershell
PS C:\> Get-ProbeItem | Export-Csv -Path ./items.csv
```

Saves the items.

```output
Name Id
---- --
x    1
```

## PARAMETERS

### -Name
Names of the items; wildcards are allowed.

```yaml
Type: String[]
Parameter Sets: ByName
Aliases: ItemName

Required: False
Position: 0
Default value: All items
Accept pipeline input: True (ByPropertyName)
Accept wildcard characters: True
```

### -Id
Ids of the items.

```yaml
Type: String[]
Parameter Sets: ById
Aliases:

Required: True
Position: Named
Default value: None
Accept pipeline input: True (ByPropertyName)
Accept wildcard characters: False
```

### -InputObject
Items to get again.

```yaml
Type: ProbeItem[]
Parameter Sets: ByObject
Aliases:

Required: True
Position: Named
Default value: None
Accept pipeline input: True (ByValue)
Accept wildcard characters: False
```

### -Region
Region to search.

```yaml
Type: String
Parameter Sets: ByName
Aliases:

Required: False
Position: Named
Default value: None
Accept pipeline input: False
Accept wildcard characters: False
```

```yaml
Type: String
Parameter Sets: ById
Aliases:

Required: True
Position: Named
Default value: None
Accept pipeline input: False
Accept wildcard characters: False
```

### -Color
Colour of the items.

```yaml
Type: ProbeColor
Parameter Sets: (All)
Aliases:
Accepted values: Red, Green, Blue

Required: False
Position: Named
Default value: None
Accept pipeline input: False
Accept wildcard characters: False
```

### -Size
Size of the items.

```yaml
Type: String
Parameter Sets: (All)
Aliases:
Accepted values: Small, Large

Required: False
Position: Named
Default value: None
Accept pipeline input: False
Accept wildcard characters: False
```

### -Limit
Largest number of items to return.

```yaml
Type: Int32
Parameter Sets: (All)
Aliases:

Required: False
Position: Named
Default value: 100
Accept pipeline input: False
Accept wildcard characters: False
```

### -Force
Includes hidden items.

```yaml
Type: SwitchParameter
Parameter Sets: (All)
Aliases:

Required: False
Position: Named
Default value: False
Accept pipeline input: False
Accept wildcard characters: False
```

### CommonParameters
This cmdlet supports the common parameters.

## INPUTS

### HelpProbe.ProbeItem
Items by value.

### System.String[]
Names and ids by property name.

## OUTPUTS

### HelpProbe.ProbeItem
The items.

## NOTES
A note.

## RELATED LINKS

[Remove-ProbeItem](Remove-ProbeItem.md)

[Example site](https://example.invalid/site)
'@
    $pages['Remove-ProbeItem.md'] = ($frontMatter -f 'Remove-ProbeItem') + @'
# Remove-ProbeItem

## SYNOPSIS
Removes a probe item.

## SYNTAX

```
Remove-ProbeItem [-Name] <String> [-WhatIf] [-Confirm] [<CommonParameters>]
```

## DESCRIPTION
Removes one probe item.

## EXAMPLES

### Example 1: Remove an item
```powershell
PS C:\> Remove-ProbeItem -Name a
```

Removes item a after asking for confirmation.

### Example 2: Preview the removal
```powershell
PS C:\> Get-ProbeItem | Export-Csv ./before.csv; Remove-ProbeItem -Name a -WhatIf
```

Shows what would be removed.

## PARAMETERS

### -Name
Name of the item.

```yaml
Type: String
Parameter Sets: (All)
Aliases:

Required: True
Position: 0
Default value: None
Accept pipeline input: False
Accept wildcard characters: False
```

### -Confirm
Prompts you for confirmation before running the cmdlet.

```yaml
Type: SwitchParameter
Parameter Sets: (All)
Aliases: cf

Required: False
Position: Named
Default value: False
Accept pipeline input: False
Accept wildcard characters: False
```

### -WhatIf
Shows what would happen if the cmdlet runs. The cmdlet is not run.

```yaml
Type: SwitchParameter
Parameter Sets: (All)
Aliases: wi

Required: False
Position: Named
Default value: False
Accept pipeline input: False
Accept wildcard characters: False
```

### CommonParameters
This cmdlet supports the common parameters.

## INPUTS

### None
Nothing.

## OUTPUTS

### None
Nothing.

## NOTES

## RELATED LINKS
'@
    $pages['about_HelpProbe.md'] = @'
# HelpProbe

## about_HelpProbe

# SHORT DESCRIPTION
A probe module for the help compiler tests.

# LONG DESCRIPTION
This long description is deliberately long enough to be wrapped at eighty columns by the about topic writer of the help compiler.

## A subtopic

- one
- two

```powershell
Get-ProbeItem
```

# SEE ALSO
- Get-ProbeItem
'@

    $script:caseNumber = 0
    function New-DocsCopy {
        # A fresh docs folder with all pages, optionally with one page edited or removed.
        param([string] $Page, [scriptblock] $Edit, [switch] $Remove)
        $script:caseNumber++
        $dir = Join-Path $work "docs$script:caseNumber"
        $null = New-Item -ItemType Directory -Path $dir -Force
        foreach ($name in $pages.Keys) {
            if ($Remove -and $name -eq $Page) { continue }
            $text = $pages[$name]
            if ($Edit -and $name -eq $Page) { $text = & $Edit $text }
            [System.IO.File]::WriteAllText((Join-Path $dir $name), $text, [System.Text.UTF8Encoding]::new($false))
        }
        $dir
    }

    function Get-CompileError {
        param([string] $Docs)
        try {
            $null = ConvertTo-VdcMamlHelp -MarkdownPath $Docs -ModuleManifest $manifest -OutputPath (Join-Path $work 'rejected') -WarningAction SilentlyContinue
        }
        catch { return $_.Exception.Message }
        throw 'ConvertTo-VdcMamlHelp did not fail.'
    }
}

AfterAll {
    Get-Module -Name HelpProbe | Remove-Module -Force
    Remove-Module HelpCompiler -Force -ErrorAction SilentlyContinue
    if ($work -and (Test-Path -LiteralPath $work)) { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'ConvertTo-VdcMamlHelp' -Tag Help, Unit {
    Context 'valid markdown' {
        BeforeAll {
            $docs = New-DocsCopy
            $out = Join-Path $moduleDir 'en-US'
            $warnings = $null
            $files = @(ConvertTo-VdcMamlHelp -MarkdownPath $docs -ModuleManifest $manifest -OutputPath $out -WarningVariable warnings -WarningAction SilentlyContinue)
            [xml] $xml = Get-Content -LiteralPath (Join-Path $out $helpFile) -Raw
            $ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
            $ns.AddNamespace('msh', 'http://msh')
            $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
            $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
            $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
            function Get-Param([string] $Command, [string] $Name) {
                $xml.SelectSingleNode("//command:command[command:details/command:name='$Command']/command:parameters/command:parameter[maml:name='$Name']", $ns)
            }

            Import-Module $manifest -Force
            $help = Get-Help Get-ProbeItem -Full
        }

        It 'writes the MAML file and the about topic' {
            $files.Name | Should -Be @($helpFile, 'about_HelpProbe.help.txt')
        }

        It 'warns about nothing when the yaml blocks match the cmdlets' {
            $warnings | Should -BeNullOrEmpty
        }

        It 'writes one command per cmdlet under helpItems schema=maml' {
            $xml.DocumentElement.LocalName | Should -Be 'helpItems'
            $xml.DocumentElement.NamespaceURI | Should -Be 'http://msh'
            $xml.DocumentElement.schema | Should -Be 'maml'
            @($xml.SelectNodes('//command:command/command:details/command:name', $ns).InnerText) | Should -Be @('Get-ProbeItem', 'Remove-ProbeItem')
        }

        It 'writes one syntax item per parameter set, default set first' {
            $items = $xml.SelectNodes("//command:command[command:details/command:name='Get-ProbeItem']/command:syntax/command:syntaxItem", $ns)
            $items.Count | Should -Be 3
            @($items[0].SelectNodes('command:parameter/maml:name', $ns).InnerText) | Should -Be @('Name', 'Region', 'Color', 'Size', 'Limit', 'Force')
        }

        It 'takes Required per set in syntax items and "mandatory in any set" in parameters' {
            $byId = $xml.SelectSingleNode("//command:syntaxItem[command:parameter/maml:name='Id']/command:parameter[maml:name='Region']", $ns)
            $byName = $xml.SelectSingleNode("//command:syntaxItem[command:parameter/maml:name='Name']/command:parameter[maml:name='Region']", $ns)
            $byId.required | Should -Be 'true'
            $byName.required | Should -Be 'false'
            (Get-Param Get-ProbeItem Region).required | Should -Be 'true'
        }

        It 'takes position, pipeline input, globbing and aliases from the cmdlet' {
            $name = Get-Param Get-ProbeItem Name
            $name.position | Should -Be '0'
            $name.pipelineInput | Should -Be 'True (ByPropertyName)'
            $name.globbing | Should -Be 'true'
            $name.aliases | Should -Be 'ItemName'
            $name.variableLength | Should -Be 'true'
            (Get-Param Get-ProbeItem InputObject).pipelineInput | Should -Be 'True (ByValue)'
            (Get-Param Get-ProbeItem Id).position | Should -Be 'named'
            (Get-Param Get-ProbeItem Id).aliases | Should -Be 'none'
        }

        It 'writes dev:type and dev:defaultValue' {
            (Get-Param Get-ProbeItem Name).type.name | Should -Be 'String[]'
            (Get-Param Get-ProbeItem Limit).type.name | Should -Be 'Int32'
            (Get-Param Get-ProbeItem Name).defaultValue | Should -Be 'All items'
            (Get-Param Get-ProbeItem Limit).defaultValue | Should -Be '100'
            (Get-Param Get-ProbeItem Force).defaultValue | Should -Be 'False'
        }

        It 'lists accepted values of enums and ValidateSet' {
            @((Get-Param Get-ProbeItem Color).parameterValueGroup.parameterValue.'#text') | Should -Be @('Red', 'Green', 'Blue')
            @((Get-Param Get-ProbeItem Size).parameterValueGroup.parameterValue.'#text') | Should -Be @('Small', 'Large')
        }

        It 'includes WhatIf and Confirm but no common parameters' {
            $names = @($xml.SelectNodes("//command:command[command:details/command:name='Remove-ProbeItem']/command:parameters/command:parameter/maml:name", $ns).InnerText)
            $names | Should -Be @('Name', 'Confirm', 'WhatIf')
            (Get-Param Remove-ProbeItem Confirm).aliases | Should -Be 'cf'
        }

        It 'escapes XML special characters and Get-Help shows them verbatim' {
            $help.Synopsis | Should -Be 'Gets probe items & friends <by name>.'
            ($help.description.Text -join "`n") | Should -Match ([regex]::Escape(@'
<tag> & "quotes" 'apostrophes'
'@))
        }

        It 'is read by Get-Help with real synopsis, syntax and parameter attributes' {
            $help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo'
            $text = Get-Help Get-ProbeItem -Full | Out-String -Width 300
            $text | Should -Match ([regex]::Escape('Get-ProbeItem [[-Name] <String[]>] [-Region <String>]'))
            $text | Should -Match ([regex]::Escape('-Id <String[]>'))
            $text | Should -Match 'Accept wildcard characters\?\s+true'
            (Get-Help Get-ProbeItem -Parameter Name).required | Should -Be 'false'
            @($help.examples.example).Count | Should -Be 2
        }

        It 'turns markdown inline syntax into plain help text' {
            $description = $help.description.Text -join "`n"
            $description | Should -Match 'The Get-ProbeItem cmdlet gets `ProbeItem` objects\. See the docs \(https://example\.invalid/docs\) for more\.'
            $description | Should -Match '- second item that is continued on the next line'
        }

        It 'keeps braces in example titles and puts output blocks after the remarks' {
            $help.examples.example[0].title | Should -Match 'Example 1: Get items \{with braces\}'
            $help.examples.example[1].code | Should -Be 'PS C:\> Get-ProbeItem | Export-Csv -Path ./items.csv'
            ($help.examples.example[1].remarks.Text -join "`n") | Should -Match 'x\s+1'
        }

        It 'writes related links with the online version first and no uri for relative links' {
            $links = @($help.relatedLinks.navigationLink)
            $links[0].linkText | Should -Be 'Online Version:'
            $links[0].uri | Should -Be 'https://example.invalid/help/Get-ProbeItem'
            $links[1].linkText | Should -Be 'Remove-ProbeItem'
            $links[1].uri | Should -BeNullOrEmpty
            $links[2].uri | Should -Be 'https://example.invalid/site'
        }

        It 'writes the about topic in the classic layout, wrapped at 80 columns, found by Get-Help' {
            $about = Get-Content -LiteralPath (Join-Path $out 'about_HelpProbe.help.txt')
            $about[0..1] | Should -Be @('TOPIC', '    about_HelpProbe')
            $about | Should -Contain 'SHORT DESCRIPTION'
            $about | Should -Contain '  A subtopic'
            $about | Should -Contain '        Get-ProbeItem'
            @($about | Where-Object Length -GT 80) | Should -BeNullOrEmpty
            (Get-Help about_HelpProbe | Out-String) | Should -Match 'A probe module for the help compiler tests'
        }
    }

    Context 'invalid markdown is rejected with the file name and the problem' {
        It 'rejects a parameter without description' {
            $docs = New-DocsCopy -Page 'Get-ProbeItem.md' -Edit { param($t) $t -replace 'Includes hidden items\.', '' }
            Get-CompileError $docs | Should -Match 'Get-ProbeItem\.md:\d+: parameter -Force has no description'
        }

        It 'rejects a cmdlet parameter that is not documented' {
            $docs = New-DocsCopy -Page 'Get-ProbeItem.md' -Edit { param($t) $t -replace '(?s)### -Limit.*?(?=### -Force)', '' }
            Get-CompileError $docs | Should -Match 'Get-ProbeItem\.md: parameter -Limit of Get-ProbeItem is not documented'
        }

        It 'rejects a documented parameter that the cmdlet does not have' {
            $docs = New-DocsCopy -Page 'Get-ProbeItem.md' -Edit { param($t) $t -replace '### CommonParameters', "### -Colour`nNot a parameter.`n`n### CommonParameters" }
            Get-CompileError $docs | Should -Match 'Get-ProbeItem\.md:\d+: documents parameter -Colour, which Get-ProbeItem does not have'
        }

        It 'rejects an exported cmdlet without a page' {
            $docs = New-DocsCopy -Page 'Remove-ProbeItem.md' -Remove
            Get-CompileError $docs | Should -Match 'Remove-ProbeItem\.md: missing'
        }

        It 'rejects a page for a cmdlet that the module does not export' {
            $docs = New-DocsCopy
            [System.IO.File]::WriteAllText((Join-Path $docs 'Get-Nothing.md'), ($pages['Remove-ProbeItem.md'] -replace 'Remove-ProbeItem', 'Get-Nothing'))
            Get-CompileError $docs | Should -Match 'Get-Nothing\.md: documents .Get-Nothing., which HelpProbe does not export'
        }

        It 'rejects PlatyPS placeholders' {
            $docs = New-DocsCopy -Page 'Remove-ProbeItem.md' -Edit { param($t) $t -replace 'Removes a probe item\.', '{{ Fill in the Synopsis }}' }
            Get-CompileError $docs | Should -Match 'Remove-ProbeItem\.md:\d+: still has the placeholder .\{\{ Fill in the Synopsis \}\}.'
        }

        It 'rejects PlatyPS placeholders inside example code' {
            $docs = New-DocsCopy -Page 'Remove-ProbeItem.md' -Edit { param($t) $t -replace 'PS C:\\> Remove-ProbeItem -Name a\n', "PS C:\> {{ Add example code here }}`n" }
            Get-CompileError $docs | Should -Match 'Remove-ProbeItem\.md:\d+: still has the placeholder .\{\{ Add example code here \}\}.'
        }

        It 'rejects a missing or empty synopsis and description' {
            $docs = New-DocsCopy -Page 'Remove-ProbeItem.md' -Edit { param($t) $t -replace 'Removes a probe item\.', '' -replace '## DESCRIPTION\nRemoves one probe item\.', '' }
            $message = Get-CompileError $docs
            $message | Should -Match 'Remove-ProbeItem\.md:\d+: SYNOPSIS is empty'
            $message | Should -Match 'Remove-ProbeItem\.md: section .## DESCRIPTION. is missing'
        }

        It 'rejects a page without examples and an example without code or remarks' {
            $docs = New-DocsCopy -Page 'Remove-ProbeItem.md' -Edit { param($t) $t -replace '(?s)## EXAMPLES.*?(?=## PARAMETERS)', "## EXAMPLES`n`n" }
            Get-CompileError $docs | Should -Match 'Remove-ProbeItem\.md:\d+: EXAMPLES has no .### Example. section'
            $docs = New-DocsCopy -Page 'Remove-ProbeItem.md' -Edit { param($t) $t -replace 'Shows what would be removed\.', '' -replace '(?s)```powershell\nPS C:\\> Remove-ProbeItem -Name a\n```', '' }
            $message = Get-CompileError $docs
            $message | Should -Match "example 'Example 1: Remove an item' has no code block"
            $message | Should -Match "example 'Example 2: Preview the removal' has no remarks"
        }

        It 'rejects an [OutputType] that OUTPUTS does not list' {
            $docs = New-DocsCopy -Page 'Get-ProbeItem.md' -Edit { param($t) $t -replace '### HelpProbe.ProbeItem\nThe items\.', "### System.Object`nSomething." }
            Get-CompileError $docs | Should -Match 'OUTPUTS does not list .### HelpProbe\.ProbeItem.'
        }

        It 'rejects markdown that is not UTF-8' {
            $docs = New-DocsCopy
            $bytes = [System.Text.Encoding]::UTF8.GetBytes(($pages['Remove-ProbeItem.md'] -replace 'Removes one probe item\.', 'Removes one probe item (CAFE).'))
            $text = [System.Text.Encoding]::UTF8.GetString($bytes)
            $index = $text.IndexOf('(CAFE)')
            $bytes[$index + 4] = 0xC9   # Latin-1 "É" on its own is not valid UTF-8
            [System.IO.File]::WriteAllBytes((Join-Path $docs 'Remove-ProbeItem.md'), $bytes)
            Get-CompileError $docs | Should -Match 'Remove-ProbeItem\.md: is not valid UTF-8'
        }

        It 'rejects a wrong external help file name in the front matter' {
            $docs = New-DocsCopy -Page 'Remove-ProbeItem.md' -Edit { param($t) $t -replace [regex]::Escape("external help file: $helpFile"), 'external help file: Other.dll-Help.xml' }
            Get-CompileError $docs | Should -Match "front matter 'external help file' is 'Other.dll-Help.xml', expected '$([regex]::Escape($helpFile))'"
        }

        It 'rejects an about topic without SHORT DESCRIPTION' {
            $docs = New-DocsCopy -Page 'about_HelpProbe.md' -Edit { param($t) $t -replace '(?s)# SHORT DESCRIPTION.*?(?=# LONG)', '' }
            Get-CompileError $docs | Should -Match "about_HelpProbe\.md: needs one '# SHORT DESCRIPTION' section"
        }

        It 'reports every problem of every file in one error' {
            $docs = New-DocsCopy -Page 'Get-ProbeItem.md' -Edit { param($t) $t -replace 'Includes hidden items\.', '' -replace 'Largest number of items to return\.', '' }
            Remove-Item -LiteralPath (Join-Path $docs 'Remove-ProbeItem.md')
            $message = Get-CompileError $docs
            $message | Should -Match '3 problem\(s\)'
            $message | Should -Match 'parameter -Force has no description'
            $message | Should -Match 'parameter -Limit has no description'
            $message | Should -Match 'Remove-ProbeItem\.md: missing'
        }

        It 'warns when a yaml block disagrees with the cmdlet, and uses the cmdlet' {
            $docs = New-DocsCopy -Page 'Remove-ProbeItem.md' -Edit { param($t) $t -replace '(?s)(### -Name.*?)Required: True', '$1Required: False' }
            $out = Join-Path $work 'warned'
            $w = $null
            $null = ConvertTo-VdcMamlHelp -MarkdownPath $docs -ModuleManifest $manifest -OutputPath $out -WarningVariable w -WarningAction SilentlyContinue
            ($w -join "`n") | Should -Match "-Name yaml says 'Required: false' but the cmdlet says 'true'"
            [xml] $warned = Get-Content -Raw (Join-Path $out $helpFile)
            $ns = [System.Xml.XmlNamespaceManager]::new($warned.NameTable)
            $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
            $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
            $warned.SelectSingleNode("//command:command[command:details/command:name='Remove-ProbeItem']/command:parameters/command:parameter[maml:name='Name']", $ns).required |
                Should -Be 'true'
        }
    }
}
