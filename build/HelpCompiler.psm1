#Requires -Version 7.2
<#
    HelpCompiler: PlatyPS-schema markdown -> MAML (<RootModule>-Help.xml) + about_*.help.txt.

    PlatyPS is not available on our package sources, so this is our own small converter. It reads the
    classic PlatyPS 0.14 markdown schema (schema: 2.0.0) so that anyone who has PlatyPS can use the same
    files unchanged, but it takes SYNTAX and every parameter attribute (type, required, position,
    pipeline input, wildcards, aliases, parameter sets, accepted values) from the COMPILED cmdlets, not
    from the markdown, so help can never drift from the code. From the markdown come only the texts:
    synopsis, description, examples, parameter descriptions (and "Default value", which metadata does
    not know), inputs/outputs, notes and related links.

    Block structure comes from Markdig (the engine behind pwsh's ConvertFrom-Markdown) with the plain
    CommonMark pipeline; text is taken from the source spans, because the advanced pipeline that
    ConvertFrom-Markdown uses treats "{...}" at the end of a heading as generic attributes and drops it.
    YAML front matter is stripped first (Markdig would turn it into a thematic break + setext heading).

    Every problem found in any file is collected and reported in one terminating error, with the file
    name and line, so a build shows the full to-do list at once.
#>

Set-StrictMode -Version 3.0

$script:MamlNs = 'http://msh'
$script:MamlNamespaces = [ordered]@{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}
$script:CommandSections = @('SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS')
# PlatyPS's own placeholders ("{{ Fill in the Synopsis }}", "{{ Add example code here }}", "{{ Fill Name
# Description }}") and the notes of its about template.
$script:PlaceholderPattern = '\{\{[^{}]*\}\}|ABOUT TOPIC NOTE:'
$script:CodePlaceholderPattern = '\{\{\s*(Fill|Add|Insert|Update|Provide|Enter)\b[^{}]*\}\}|ABOUT TOPIC NOTE:'
$script:AboutWidth = 80

function ConvertTo-VdcMamlHelp {
    <#
    .SYNOPSIS
        Compiles docs/en-US markdown (PlatyPS schema 2.0.0) into MAML and about_*.help.txt files.
    .DESCRIPTION
        Imports the built module from ModuleManifest, checks every exported cmdlet against its
        <Verb-Noun>.md page and writes <OutputPath>/<RootModule>-Help.xml plus one
        <OutputPath>/about_*.help.txt per about_*.md. Throws one error listing every problem
        (missing page, undocumented or unknown parameter, missing or placeholder text, ...).
        Run it in a fresh pwsh process: a module's assembly cannot be unloaded, so a process that has
        already loaded another copy of the same assembly would read stale metadata (this is detected
        and reported).
    .EXAMPLE
        Import-Module ./build/HelpCompiler.psm1
        ConvertTo-VdcMamlHelp -MarkdownPath ./docs/en-US -ModuleManifest ./out/VdcPS/VdcPS.psd1 -OutputPath ./out/VdcPS/en-US
    #>
    [CmdletBinding()]
    [OutputType([System.IO.FileInfo])]
    param(
        # Folder with <Verb-Noun>.md and about_*.md files (for example docs/en-US).
        [Parameter(Mandatory)]
        [string] $MarkdownPath,

        # Path to the BUILT module manifest (for example out/VdcPS/VdcPS.psd1).
        [Parameter(Mandatory)]
        [string] $ModuleManifest,

        # Folder to write the help files to (for example out/VdcPS/en-US). Created if missing.
        [Parameter(Mandatory)]
        [string] $OutputPath
    )

    $MarkdownPath = (Resolve-Path -LiteralPath $MarkdownPath -ErrorAction Stop).ProviderPath
    $ModuleManifest = (Resolve-Path -LiteralPath $ModuleManifest -ErrorAction Stop).ProviderPath
    $OutputPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutputPath)

    $manifestData = Import-PowerShellDataFile -LiteralPath $ModuleManifest
    $moduleName = [System.IO.Path]::GetFileNameWithoutExtension($ModuleManifest)
    $rootModule = [string]$manifestData['RootModule']
    if ([string]::IsNullOrWhiteSpace($rootModule) -or $rootModule -notlike '*.dll') {
        throw "HelpCompiler: '$ModuleManifest' must name a binary RootModule (*.dll); found '$rootModule'."
    }
    $rootModule = [System.IO.Path]::GetFileName($rootModule)
    $helpFileName = "$rootModule-Help.xml"
    $expectedAssembly = [System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($ModuleManifest), $rootModule)

    $problems = [System.Collections.Generic.List[string]]::new()

    # ---- compiled metadata -------------------------------------------------------------------------
    $imported = $null
    $module = Get-Module -Name $moduleName | Where-Object { $_.Path -eq $expectedAssembly -or $_.Path -eq $ModuleManifest } | Select-Object -First 1
    if (-not $module) {
        $module = Import-Module -Name $ModuleManifest -PassThru -ErrorAction Stop -Verbose:$false |
            Where-Object Name -EQ $moduleName | Select-Object -First 1
        $imported = $module
    }
    try {
        $cmdlets = @($module.ExportedCmdlets.Values | Sort-Object Name)
        foreach ($cmd in $cmdlets) {
            $location = $cmd.ImplementingType.Assembly.Location
            if ($location -and -not [string]::Equals([System.IO.Path]::GetFullPath($location), $expectedAssembly, [System.StringComparison]::Ordinal)) {
                throw ("HelpCompiler: cmdlet $($cmd.Name) comes from '$location', not from '$expectedAssembly'. " +
                    'Another copy of the assembly is already loaded in this process; run the help compiler in a fresh pwsh.')
            }
        }
        if ($module.ExportedFunctions.Count -gt 0) {
            Write-Warning "HelpCompiler: $moduleName exports functions ($($module.ExportedFunctions.Keys -join ', ')); only cmdlets get MAML help here."
        }

        # ---- markdown ------------------------------------------------------------------------------
        $files = @(Get-ChildItem -LiteralPath $MarkdownPath -Filter '*.md' -File | Sort-Object Name)
        $aboutFiles = @($files | Where-Object { $_.BaseName -like 'about_*' })
        $commandFiles = @($files | Where-Object { $_.BaseName -notlike 'about_*' -and $_.Name -ne 'README.md' -and $_.BaseName -ne $moduleName })

        $pages = @{}
        foreach ($file in $commandFiles) {
            $doc = Read-VdcMarkdownFile -Path $file.FullName -Problems $problems
            if ($null -eq $doc) { continue }
            $pages[$file.BaseName] = $doc
        }

        $commandModels = [System.Collections.Generic.List[object]]::new()
        foreach ($cmd in $cmdlets) {
            $doc = $pages[$cmd.Name]
            if ($null -eq $doc) {
                $problems.Add("$($cmd.Name).md: missing. Exported cmdlet $($cmd.Name) has no help page in $MarkdownPath.")
                continue
            }
            $model = ConvertFrom-VdcCommandPage -Doc $doc -Command $cmd -HelpFileName $helpFileName -ModuleName $moduleName -Problems $problems
            if ($model) { $commandModels.Add($model) }
        }
        foreach ($name in ($pages.Keys | Sort-Object)) {
            if (-not ($cmdlets | Where-Object Name -EQ $name)) {
                $problems.Add("$name.md: documents '$name', which $moduleName does not export (exported: $(($cmdlets.Name) -join ', ')).")
            }
        }

        $abouts = [System.Collections.Generic.List[object]]::new()
        foreach ($file in $aboutFiles) {
            $doc = Read-VdcMarkdownFile -Path $file.FullName -Problems $problems
            if ($null -eq $doc) { continue }
            $about = ConvertFrom-VdcAboutPage -Doc $doc -Problems $problems
            if ($about) { $abouts.Add($about) }
        }

        if ($problems.Count -gt 0) {
            $message = "HelpCompiler: $($problems.Count) problem(s) in $MarkdownPath`n  " + ($problems -join "`n  ")
            throw [System.InvalidOperationException]::new($message)
        }

        # ---- output --------------------------------------------------------------------------------
        $null = New-Item -ItemType Directory -Path $OutputPath -Force
        $mamlPath = Join-Path $OutputPath $helpFileName
        Write-VdcMamlFile -Path $mamlPath -Commands $commandModels
        # Prove it is well-formed and carries every command; broken MAML makes Get-Help fall back silently.
        $check = [System.Xml.XmlDocument]::new()
        $check.Load($mamlPath)
        $nsm = [System.Xml.XmlNamespaceManager]::new($check.NameTable)
        $nsm.AddNamespace('command', $script:MamlNamespaces.command)
        $nsm.AddNamespace('maml', $script:MamlNamespaces.maml)
        $written = @($check.SelectNodes('//command:command/command:details/command:name', $nsm) | ForEach-Object InnerText)
        if ($written.Count -ne $commandModels.Count) {
            throw "HelpCompiler: $mamlPath holds $($written.Count) commands, expected $($commandModels.Count)."
        }
        Get-Item -LiteralPath $mamlPath

        foreach ($about in $abouts) {
            $aboutPath = Join-Path $OutputPath "$($about.Name).help.txt"
            # UTF-8 with BOM: Windows PowerShell 5.1 reads about files without a BOM as ANSI.
            [System.IO.File]::WriteAllText($aboutPath, $about.Text, [System.Text.UTF8Encoding]::new($true))
            Get-Item -LiteralPath $aboutPath
        }
        Write-Verbose "HelpCompiler: $($commandModels.Count) cmdlet(s) -> $mamlPath; $($abouts.Count) about topic(s)."
    }
    finally {
        if ($imported) { Remove-Module -ModuleInfo $imported -Force -ErrorAction SilentlyContinue }
    }
}

# ==================================================================================================
# Markdown reading
# ==================================================================================================

function Read-VdcMarkdownFile {
    # Returns @{ Path; Name; FrontMatter; Blocks } or $null (problem recorded). Blocks are flat:
    # @{ Kind = 'Heading'|'Para'|'Code'; Level; Text; Info; Line }.
    param([string] $Path, [System.Collections.Generic.List[string]] $Problems)

    $name = [System.IO.Path]::GetFileName($Path)
    try {
        $text = [System.IO.File]::ReadAllText($Path, [System.Text.UTF8Encoding]::new($false, $true))
    }
    catch [System.Text.DecoderFallbackException] {
        $Problems.Add("${name}: is not valid UTF-8 ($($_.Exception.Message)). Save the markdown as UTF-8.")
        return $null
    }
    $text = $text.TrimStart([char]0xFEFF) -replace "`r`n?", "`n"
    $lines = $text.Split("`n")

    # Front matter: keep line numbers stable by blanking its lines instead of removing them.
    $front = [ordered]@{}
    if ($lines.Count -gt 0 -and $lines[0].TrimEnd() -eq '---') {
        $end = -1
        for ($i = 1; $i -lt $lines.Count; $i++) {
            if ($lines[$i].TrimEnd() -in '---', '...') { $end = $i; break }
        }
        if ($end -lt 0) {
            $Problems.Add("${name}:1: YAML front matter starts with '---' but is never closed.")
            return $null
        }
        for ($i = 1; $i -lt $end; $i++) {
            if ($lines[$i] -match '^\s*([^:#][^:]*?)\s*:\s*(.*?)\s*$') {
                $front[$Matches[1]] = $Matches[2].Trim('"', "'")
            }
        }
        for ($i = 0; $i -le $end; $i++) { $lines[$i] = '' }
        $text = $lines -join "`n"
    }

    # Placeholders: anywhere in prose; in code only PlatyPS's own "{{ Fill/Add ... }}" forms.
    $inFence = $false; $fence = ''
    for ($i = 0; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        if ($line -match '^\s{0,3}(`{3,}|~{3,})') {
            if (-not $inFence) { $inFence = $true; $fence = $Matches[1] }
            elseif ($line.Trim().StartsWith($fence) -and $line.Trim().Trim($fence[0]) -eq '') { $inFence = $false }
            continue
        }
        $pattern = if ($inFence) { $script:CodePlaceholderPattern } else { $script:PlaceholderPattern }
        $m = [regex]::Match($line, $pattern)
        if ($m.Success) { $Problems.Add("${name}:$($i + 1): still has the placeholder '$($m.Value)'.") }
    }

    Initialize-VdcMarkdig
    $pipeline = [Markdig.MarkdownPipelineBuilder]::new().Build()   # plain CommonMark, no extensions
    $document = [Markdig.Markdown]::Parse($text, $pipeline)

    $blocks = [System.Collections.Generic.List[object]]::new()
    foreach ($block in $document) { Add-VdcBlock -Block $block -Source $text -Blocks $blocks }
    [pscustomobject]@{ Path = $Path; Name = $name; BaseName = [System.IO.Path]::GetFileNameWithoutExtension($Path); FrontMatter = $front; Blocks = $blocks }
}

function Initialize-VdcMarkdig {
    if (-not ('Markdig.Markdown' -as [type])) {
        # Markdig ships with pwsh and is loaded on first use of ConvertFrom-Markdown.
        $null = ConvertFrom-Markdown -InputObject ' '
    }
}

function Get-VdcSpanText([string] $Source, $Block) {
    $start = $Block.Span.Start; $end = $Block.Span.End
    if ($start -lt 0 -or $end -lt $start) { return '' }
    $end = [Math]::Min($end, $Source.Length - 1)
    $Source.Substring($start, $end - $start + 1)
}

function Add-VdcBlock {
    param($Block, [string] $Source, [System.Collections.Generic.List[object]] $Blocks)

    $line = $Block.Line + 1
    $raw = Get-VdcSpanText $Source $Block
    switch ($Block.GetType().FullName) {
        'Markdig.Syntax.HeadingBlock' {
            $first = $raw.Split("`n")[0]
            $title = if ($Block.IsSetext) { $first.Trim() } else { ($first -replace '^\s{0,3}#{1,6}\s*', '' -replace '\s+#+\s*$', '').Trim() }
            $Blocks.Add([pscustomobject]@{ Kind = 'Heading'; Level = $Block.Level; Text = $title; Info = ''; Line = $line; Raw = $raw })
        }
        { $_ -in 'Markdig.Syntax.FencedCodeBlock', 'Markdig.Syntax.CodeBlock' } {
            # Lines.Lines is the backing array (longer than Count); Lines.Count is the real length.
            $codeLines = for ($i = 0; $i -lt $Block.Lines.Count; $i++) { $Block.Lines.Lines[$i].ToString() }
            $code = (@($codeLines) -join "`n").TrimEnd()
            $info = if ($Block -is [Markdig.Syntax.FencedCodeBlock]) { [string]$Block.Info } else { '' }
            $Blocks.Add([pscustomobject]@{ Kind = 'Code'; Level = 0; Text = $code; Info = $info.Trim(); Line = $line; Raw = $raw })
        }
        'Markdig.Syntax.ParagraphBlock' {
            $Blocks.Add([pscustomobject]@{ Kind = 'Para'; Level = 0; Text = (ConvertTo-VdcPlainText $raw); Info = ''; Line = $line; Raw = $raw })
        }
        'Markdig.Syntax.ListBlock' {
            $Blocks.Add([pscustomobject]@{ Kind = 'Para'; Level = 0; Text = (ConvertTo-VdcPlainList $raw); Info = 'list'; Line = $line; Raw = $raw })
        }
        'Markdig.Syntax.QuoteBlock' {
            $unquoted = ($raw.Split("`n") | ForEach-Object { $_ -replace '^\s{0,3}>\s?', '' }) -join "`n"
            $Blocks.Add([pscustomobject]@{ Kind = 'Para'; Level = 0; Text = (ConvertTo-VdcPlainText $unquoted); Info = ''; Line = $line; Raw = $raw })
        }
        'Markdig.Syntax.HtmlBlock' {
            if (-not $raw.Trim().StartsWith('<!--')) {
                $Blocks.Add([pscustomobject]@{ Kind = 'Para'; Level = 0; Text = $raw.Trim(); Info = ''; Line = $line; Raw = $raw })
            }
        }
        { $_ -in 'Markdig.Syntax.ThematicBreakBlock', 'Markdig.Syntax.LinkReferenceDefinitionGroup', 'Markdig.Syntax.BlankLineBlock' } { }
        default {
            if ($raw.Trim()) { $Blocks.Add([pscustomobject]@{ Kind = 'Para'; Level = 0; Text = $raw.Trim(); Info = ''; Line = $line; Raw = $raw }) }
        }
    }
}

function ConvertTo-VdcInlineText([string] $Text) {
    # Inline markdown -> help text: keep code spans (with backticks), drop emphasis markers, turn
    # links into "text (url)" (or just "text" for relative/empty targets), decode entities/escapes.
    # (No scriptblock match evaluators: they cost milliseconds per call.)
    if ($Text -notmatch '[`*_\[\]<>&\\]') { return $Text }
    $spans = [regex]::Matches($Text, '(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)')
    $sb = [System.Text.StringBuilder]::new()
    $at = 0
    foreach ($m in $spans) {
        $null = $sb.Append((ConvertTo-VdcInlineProse $Text.Substring($at, $m.Index - $at))).Append($m.Value)
        $at = $m.Index + $m.Length
    }
    $null = $sb.Append((ConvertTo-VdcInlineProse $Text.Substring($at)))
    $sb.ToString()
}

function ConvertTo-VdcInlineProse([string] $Text) {
    if (-not $Text) { return $Text }
    $link = '\]\(\s*<?({0})>?(?:\s+"[^"]*")?\s*\)'
    $Text = $Text -replace '!\[([^\]]*)\]\(([^)]*)\)', '$1'
    $Text = $Text -replace ('\[([^\]]+)' + ($link -f '[a-zA-Z][a-zA-Z0-9+.-]*://[^)\s>]*')), '$1 ($2)'
    $Text = $Text -replace ('\[([^\]]+)' + ($link -f '[^)\s>]*')), '$1'
    $Text = $Text -replace '<((?:https?|ftp|mailto):[^>\s]+)>', '$1'
    $Text = $Text -replace '(\*\*|__)(?=\S)([\s\S]+?)(?<=\S)\1', '$2'
    $Text = $Text -replace '(?<![\w*\\])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*\\])\*(?![\w*])', '$1'
    $Text = $Text -replace '(?<![\w\\])_(?=[^\s_])([^_\n]+?)(?<=[^\s_])_(?!\w)', '$1'
    $Text = $Text -replace '\\([!-/:-@\[-`{-~])', '$1'
    [System.Net.WebUtility]::HtmlDecode($Text)
}

function ConvertTo-VdcPlainText([string] $Raw) {
    # Paragraph: soft line breaks become spaces, hard breaks (two trailing spaces or "\") newlines.
    $lines = $Raw.Trim("`n").Split("`n")
    $sb = [System.Text.StringBuilder]::new()
    for ($i = 0; $i -lt $lines.Count; $i++) {
        $l = $lines[$i]
        $hard = $l -match '( {2,}|\\)$'
        $l = ($l -replace '\\$', '').Trim()
        $null = $sb.Append($l)
        if ($i -lt $lines.Count - 1) { $null = $sb.Append($(if ($hard) { "`n" } else { ' ' })) }
    }
    ConvertTo-VdcInlineText $sb.ToString()
}

function ConvertTo-VdcPlainList([string] $Raw) {
    # Lists keep one line per item (continuation lines are joined to their item); nesting is kept
    # as two spaces per level. Markers are normalised to "-" (ordered lists keep their numbers).
    $items = [System.Collections.Generic.List[string]]::new()
    foreach ($l in $Raw.Trim("`n").Split("`n")) {
        if ($l.Trim() -eq '') { continue }
        if ($l -match '^(\s*)([-*+]|\d+[.)])\s+(.*)$') {
            $m = $Matches.Clone()   # the -match below would overwrite $Matches
            $depth = [int][Math]::Floor($m[1].Length / 2)
            $marker = if ($m[2] -match '^\d') { $m[2] } else { '-' }
            $items.Add(('  ' * $depth) + "$marker " + "$($m[3])".Trim())
        }
        elseif ($items.Count -gt 0) { $items[$items.Count - 1] += ' ' + $l.Trim() }
        else { $items.Add($l.Trim()) }
    }
    ($items | ForEach-Object { ConvertTo-VdcInlineText $_ }) -join "`n"
}

function Split-VdcSection {
    # Groups blocks under headings of the given level: returns ordered list of @{ Title; Line; Blocks }.
    # Blocks before the first such heading go into an entry with Title $null.
    param([object[]] $Blocks, [int] $Level)
    $sections = [System.Collections.Generic.List[object]]::new()
    $current = [pscustomobject]@{ Title = $null; Line = 0; Blocks = [System.Collections.Generic.List[object]]::new() }
    foreach ($b in $Blocks) {
        if ($b.Kind -eq 'Heading' -and $b.Level -le $Level) {
            if ($current.Title -or $current.Blocks.Count) { $sections.Add($current) }
            $current = [pscustomobject]@{ Title = $b.Text; Line = $b.Line; Level = $b.Level; Blocks = [System.Collections.Generic.List[object]]::new() }
        }
        else { $current.Blocks.Add($b) }
    }
    if ($current.Title -or $current.Blocks.Count) { $sections.Add($current) }
    $sections
}

function Get-VdcParagraphs([object[]] $Blocks) {
    # Prose of a section: paragraphs and lists as they are, code blocks kept verbatim.
    @($Blocks | Where-Object { $_.Kind -in 'Para', 'Code' -and -not [string]::IsNullOrWhiteSpace($_.Text) } | ForEach-Object Text)
}

# ==================================================================================================
# Command pages
# ==================================================================================================

function ConvertFrom-VdcCommandPage {
    param($Doc, [System.Management.Automation.CmdletInfo] $Command, [string] $HelpFileName, [string] $ModuleName,
        [System.Collections.Generic.List[string]] $Problems)

    $file = $Doc.Name
    $count = $Problems.Count
    $fm = $Doc.FrontMatter
    if ($fm.Count -eq 0) {
        $Problems.Add("${file}:1: has no YAML front matter (PlatyPS schema: 'external help file', 'Module Name', 'online version', 'schema: 2.0.0').")
    }
    else {
        if ($fm['schema'] -ne '2.0.0') { $Problems.Add("${file}:1: front matter 'schema' is '$($fm['schema'])', expected '2.0.0'.") }
        if ($fm['external help file'] -ne $HelpFileName) { $Problems.Add("${file}:1: front matter 'external help file' is '$($fm['external help file'])', expected '$HelpFileName'.") }
        if ($fm.Contains('Module Name') -and $fm['Module Name'] -ne $ModuleName) { $Problems.Add("${file}:1: front matter 'Module Name' is '$($fm['Module Name'])', expected '$ModuleName'.") }
    }

    $top = @(Split-VdcSection -Blocks $Doc.Blocks -Level 1)
    $titled = @($top | Where-Object { $_.Title -and $_.Level -eq 1 })
    if ($titled.Count -ne 1) {
        $Problems.Add("${file}: needs exactly one '# $($Command.Name)' title; found $($titled.Count).")
        return $null
    }
    if ($titled[0].Title -cne $Command.Name) {
        $Problems.Add("${file}:$($titled[0].Line): title is '# $($titled[0].Title)', expected '# $($Command.Name)'.")
    }

    $sections = @{}
    foreach ($s in (Split-VdcSection -Blocks $titled[0].Blocks -Level 2)) {
        if (-not $s.Title) {
            if (Get-VdcParagraphs $s.Blocks) { $Problems.Add("${file}: text between the title and the first '##' section is not part of the schema.") }
            continue
        }
        $key = $s.Title.ToUpperInvariant()
        if ($key -notin $script:CommandSections) {
            $Problems.Add("${file}:$($s.Line): unknown section '## $($s.Title)' (allowed: $($script:CommandSections -join ', ')).")
            continue
        }
        if ($sections.ContainsKey($key)) { $Problems.Add("${file}:$($s.Line): section '## $key' appears twice."); continue }
        $sections[$key] = $s
    }
    foreach ($required in 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS') {
        if (-not $sections.ContainsKey($required)) { $Problems.Add("${file}: section '## $required' is missing.") }
    }

    # --- synopsis / description
    $synopsis = ''
    if ($sections.ContainsKey('SYNOPSIS')) {
        $synopsis = ((Get-VdcParagraphs $sections.SYNOPSIS.Blocks) -join ' ').Trim()
        if (-not $synopsis) { $Problems.Add("${file}:$($sections.SYNOPSIS.Line): SYNOPSIS is empty.") }
    }
    $description = @()
    if ($sections.ContainsKey('DESCRIPTION')) {
        $description = @(Get-VdcParagraphs $sections.DESCRIPTION.Blocks)
        if ($description.Count -eq 0) { $Problems.Add("${file}:$($sections.DESCRIPTION.Line): DESCRIPTION is empty.") }
    }

    # --- examples
    $examples = [System.Collections.Generic.List[object]]::new()
    if ($sections.ContainsKey('EXAMPLES')) {
        foreach ($s in (Split-VdcSection -Blocks $sections.EXAMPLES.Blocks -Level 3)) {
            if (-not $s.Title) {
                if (Get-VdcParagraphs $s.Blocks) { $Problems.Add("${file}:$($sections.EXAMPLES.Line): text under EXAMPLES must be inside '### Example N: title' sections.") }
                continue
            }
            $code = [System.Collections.Generic.List[string]]::new()
            $remarks = [System.Collections.Generic.List[string]]::new()
            $intro = [System.Collections.Generic.List[string]]::new()
            foreach ($b in $s.Blocks) {
                if ($b.Kind -eq 'Heading') { $remarks.Add($b.Text); continue }
                if ($b.Kind -eq 'Code' -and $remarks.Count -eq 0) { $code.Add($b.Text); continue }
                if ($code.Count -eq 0) { $intro.Add($b.Text) } else { $remarks.Add($b.Text) }
            }
            if ($code.Count -eq 0 -or -not ($code -join '').Trim()) { $Problems.Add("${file}:$($s.Line): example '$($s.Title)' has no code block.") }
            $allRemarks = @($intro) + @($remarks) | Where-Object { -not [string]::IsNullOrWhiteSpace($_) }
            if (-not $allRemarks) { $Problems.Add("${file}:$($s.Line): example '$($s.Title)' has no remarks (explain it in a paragraph after the code).") }
            $examples.Add([pscustomobject]@{ Title = $s.Title; Code = ($code -join "`n`n"); Remarks = @($allRemarks) })
        }
        if ($examples.Count -eq 0) { $Problems.Add("${file}:$($sections.EXAMPLES.Line): EXAMPLES has no '### Example' section.") }
    }

    # --- parameters: markdown texts, matched against the compiled metadata
    $common = [System.Management.Automation.Cmdlet]::CommonParameters
    $metadata = [ordered]@{}
    foreach ($p in $Command.Parameters.Values) { if (-not $common.Contains($p.Name)) { $metadata[$p.Name] = $p } }
    $documented = [ordered]@{}
    if ($sections.ContainsKey('PARAMETERS')) {
        foreach ($s in (Split-VdcSection -Blocks $sections.PARAMETERS.Blocks -Level 3)) {
            if (-not $s.Title) { continue }
            $title = $s.Title.Trim()
            if ($title -match '^<?(Workflow)?CommonParameters>?$') { continue }
            if ($title -notmatch '^-(\w+)$') {
                $Problems.Add("${file}:$($s.Line): parameter heading '### $title' must be '### -Name' or '### CommonParameters'.")
                continue
            }
            $pname = $Matches[1]
            if ($common.Contains($pname)) {
                $Problems.Add("${file}:$($s.Line): -$pname is a common parameter; describe it only through '### CommonParameters'.")
                continue
            }
            $key = @($metadata.Keys | Where-Object { $_ -eq $pname })
            if ($key.Count -eq 0) {
                $Problems.Add("${file}:$($s.Line): documents parameter -$pname, which $($Command.Name) does not have.")
                continue
            }
            if ($key[0] -cne $pname) { $Problems.Add("${file}:$($s.Line): parameter heading '-$pname' should be spelled '-$($key[0])'.") }
            if ($documented.Contains($key[0])) { $Problems.Add("${file}:$($s.Line): parameter -$pname is documented twice."); continue }
            $text = @($s.Blocks | Where-Object { -not ($_.Kind -eq 'Code' -and $_.Info -match '^yaml\b') } | ForEach-Object Text |
                    Where-Object { -not [string]::IsNullOrWhiteSpace($_) })
            if ($text.Count -eq 0) { $Problems.Add("${file}:$($s.Line): parameter -$pname has no description.") }
            $yaml = @(foreach ($y in ($s.Blocks | Where-Object { $_.Kind -eq 'Code' -and $_.Info -match '^yaml\b' })) {
                    $h = @{}
                    foreach ($yl in $y.Text.Split("`n")) {
                        if ($yl -match '^\s*([^:]+?)\s*:\s*(.*?)\s*$' -and -not $h.ContainsKey($Matches[1])) { $h[$Matches[1]] = $Matches[2] }
                    }
                    $h
                })
            Test-VdcYamlAgainstMetadata -File $file -Line $s.Line -Yaml $yaml -Parameter $metadata[$key[0]] -Command $Command
            $defaultValue = @($yaml | Where-Object { $_['Default value'] } | ForEach-Object { $_['Default value'] }) | Select-Object -First 1
            $documented[$key[0]] = [pscustomobject]@{ Description = $text; DefaultValue = $defaultValue }
        }
    }
    foreach ($pname in $metadata.Keys) {
        if (-not $documented.Contains($pname)) { $Problems.Add("${file}: parameter -$pname of $($Command.Name) is not documented (add '### -$pname' under PARAMETERS).") }
    }

    # --- inputs / outputs / notes / links
    $inputs = @(Get-VdcTypeEntries -Section $sections['INPUTS'] -File $file -Problems $Problems)
    $outputs = @(Get-VdcTypeEntries -Section $sections['OUTPUTS'] -File $file -Problems $Problems)
    foreach ($ot in $Command.OutputType) {
        $names = @($ot.Name) + @(if ($ot.Type) { $ot.Type.FullName; $ot.Type.Name })
        if (-not ($outputs | Where-Object { $_.Name -in $names })) {
            $Problems.Add("${file}: OUTPUTS does not list '### $($ot.Name)', which $($Command.Name) declares in [OutputType].")
        }
    }
    $notes = @(if ($sections.ContainsKey('NOTES')) { Get-VdcParagraphs $sections.NOTES.Blocks })
    $links = [System.Collections.Generic.List[object]]::new()
    if ($fm['online version']) { $links.Add([pscustomobject]@{ Text = 'Online Version:'; Uri = $fm['online version'] }) }
    if ($sections.ContainsKey('RELATED LINKS')) {
        foreach ($l in (Get-VdcRelatedLinks -Blocks $sections['RELATED LINKS'].Blocks)) { $links.Add($l) }
    }

    if ($Problems.Count -ne $count) { return $null }
    [pscustomobject]@{
        Command     = $Command
        Synopsis    = $synopsis
        Description = $description
        Examples    = $examples
        Parameters  = $documented
        Inputs      = $inputs
        Outputs     = $outputs
        Notes       = $notes
        Links       = $links
    }
}

function Test-VdcYamlAgainstMetadata {
    # The yaml blocks are informational (the cmdlet's metadata wins), but stale blocks mislead readers
    # of the markdown, so mismatches are reported as warnings. A parameter whose attributes differ
    # between parameter sets has one yaml block per variant (PlatyPS), so values are compared as
    # sets: the values of all blocks against the values of all parameter sets.
    param([string] $File, [int] $Line, [hashtable[]] $Yaml, [System.Management.Automation.ParameterMetadata] $Parameter, $Command)
    if (@($Yaml).Count -eq 0) {
        Write-Warning "${File}:${Line}: -$($Parameter.Name) has no yaml metadata block (PlatyPS schema); metadata is taken from the cmdlet anyway."
        return
    }
    $sets = @($Parameter.ParameterSets.GetEnumerator())
    $pipeline = {
        param([string] $v)
        $v = $v.ToLowerInvariant()
        if ($v -notmatch '^true') { return 'false' }
        (@(if ($v -match 'bypropertyname') { 'ByPropertyName' }; if ($v -match 'byvalue') { 'ByValue' }) -join ',')
    }
    $aliases = { param([string] $v) if ($v -in '', 'none') { '' } else { (($v -split ',' | ForEach-Object Trim | Sort-Object) -join ',') } }
    $checks = @(
        @{ Key = 'Type'; Norm = { param($v) ($v -split '\.')[-1] }; Meta = @(Get-VdcTypeDisplayName $Parameter.ParameterType) }
        # "Required: True (Password), False (Cloud)" lists one value per set: take every value.
        @{ Key = 'Required'; Norm = { param($v) [regex]::Matches($v.ToLowerInvariant(), 'true|false') | ForEach-Object Value }
            Meta = @($sets | ForEach-Object { $_.Value.IsMandatory.ToString() }) }
        @{ Key = 'Position'; Norm = { param($v) [regex]::Matches($v.ToLowerInvariant(), '\d+|named') | ForEach-Object Value }
            Meta = @($sets | ForEach-Object { Format-VdcPosition $_.Value.Position }) }
        @{ Key = 'Accept pipeline input'; Norm = $pipeline; Meta = @($sets | ForEach-Object { Format-VdcPipelineInput $_.Value.ValueFromPipeline $_.Value.ValueFromPipelineByPropertyName }) }
        @{ Key = 'Accept wildcard characters'; Norm = { param($v) $v.ToLowerInvariant() }
            Meta = @(if ($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }) { 'true' } else { 'false' }) }
        @{ Key = 'Aliases'; Norm = $aliases; Meta = @($Parameter.Aliases -join ',') }
        @{ Key = 'Parameter Sets'; Norm = { param($v) (($v -split ',' | ForEach-Object Trim | Where-Object { $_ } | Sort-Object) -join ',') }
            Meta = @(($sets | ForEach-Object { if ($_.Key -eq '__AllParameterSets') { '(All)' } else { $_.Key } }) -join ',') }
    )
    foreach ($c in $checks) {
        $documented = @($Yaml | Where-Object { $_.ContainsKey($c.Key) } | ForEach-Object { & $c.Norm ([string]$_[$c.Key]) })
        if ($documented.Count -eq 0) { continue }
        if ($c.Key -eq 'Parameter Sets') { $documented = @((($documented -join ',') -split ',' | Sort-Object -Unique) -join ',') }
        $actual = @($c.Meta | ForEach-Object { & $c.Norm ([string]$_) } | Sort-Object -Unique)
        $documented = @($documented | Sort-Object -Unique)
        if (($documented -join '|') -ne ($actual -join '|')) {
            Write-Warning ("${File}:${Line}: -$($Parameter.Name) yaml says '$($c.Key): $($documented -join ' / ')' but the cmdlet says '$($actual -join ' / ')' (the cmdlet's value is used).")
        }
    }
}

function Get-VdcTypeEntries {
    param($Section, [string] $File, [System.Collections.Generic.List[string]] $Problems)
    if ($null -eq $Section) { return }
    foreach ($s in (Split-VdcSection -Blocks $Section.Blocks -Level 3)) {
        if (-not $s.Title) {
            if (Get-VdcParagraphs $s.Blocks) { $Problems.Add("${File}:$($Section.Line): text under '## $($Section.Title)' must follow a '### TypeName' heading.") }
            continue
        }
        [pscustomobject]@{ Name = $s.Title.Trim(); Description = @(Get-VdcParagraphs $s.Blocks) }
    }
}

function Get-VdcRelatedLinks {
    # One navigationLink per markdown link ("[text](url)"); a line without a link is a text-only
    # link (for example a cmdlet name). Relative targets (other .md pages) mean nothing to Get-Help,
    # so only absolute URLs are kept as uri.
    param([object[]] $Blocks)
    foreach ($b in $Blocks) {
        if ($b.Kind -eq 'Heading') { continue }
        foreach ($r in $b.Raw.Split("`n")) {
            $ms = [regex]::Matches($r, '\[([^\]]+)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)')
            if ($ms.Count -gt 0) {
                foreach ($m in $ms) {
                    $uri = $m.Groups[2].Value
                    if ($uri -notmatch '^[a-zA-Z][a-zA-Z0-9+.-]*://') { $uri = '' }
                    [pscustomobject]@{ Text = $m.Groups[1].Value.Trim(); Uri = $uri }
                }
                continue
            }
            $t = ($r -replace '^\s*([-*+]|\d+[.)])\s+', '').Trim()
            if ($t -match '^<?(https?://[^\s>]+)>?$') { [pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[1] } }
            elseif ($t) { [pscustomobject]@{ Text = (ConvertTo-VdcInlineText $t); Uri = '' } }
        }
    }
}

# ==================================================================================================
# Metadata
# ==================================================================================================

function Get-VdcTypeDisplayName([type] $Type) {
    # Short, readable type names as PlatyPS writes them ("String[]", "SwitchParameter"); nullable
    # value types show their underlying type ("Int32" for int?).
    $u = [Nullable]::GetUnderlyingType($Type)
    if ($u) { $Type = $u }
    if ($Type.IsArray) { return (Get-VdcTypeDisplayName $Type.GetElementType()) + '[' + (',' * ($Type.GetArrayRank() - 1)) + ']' }
    if ($Type.IsGenericType) {
        $args_ = @($Type.GetGenericArguments() | ForEach-Object { Get-VdcTypeDisplayName $_ }) -join ', '
        return ($Type.Name -replace '`\d+$', '') + "[$args_]"
    }
    $Type.Name
}

function Get-VdcAcceptedValues([System.Management.Automation.ParameterMetadata] $Parameter) {
    $set = @($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] })
    if ($set) { return @($set | ForEach-Object { $_.ValidValues }) }
    $t = $Parameter.ParameterType
    if ($t.IsArray) { $t = $t.GetElementType() }
    $u = [Nullable]::GetUnderlyingType($t)
    if ($u) { $t = $u }
    if ($t.IsEnum) { return [System.Enum]::GetNames($t) }
    @()
}

function Format-VdcPipelineInput([bool] $ByValue, [bool] $ByPropertyName) {
    if ($ByValue -and $ByPropertyName) { 'True (ByPropertyName, ByValue)' }
    elseif ($ByValue) { 'True (ByValue)' }
    elseif ($ByPropertyName) { 'True (ByPropertyName)' }
    else { 'False' }
}

function Format-VdcPosition([int] $Position) {
    if ($Position -lt 0) { 'named' } else { $Position.ToString([cultureinfo]::InvariantCulture) }
}

function Get-VdcParameterInfo {
    # Attributes for the PARAMETERS section, merged over the parameter's sets:
    #   required  = mandatory in at least one parameter set (each syntax item has the per-set value),
    #   position  = position in the default set if the parameter is in it, else in its first set,
    #   pipeline  = union over the sets.
    param([System.Management.Automation.ParameterMetadata] $Parameter, [System.Management.Automation.CmdletInfo] $Command)
    $sets = $Parameter.ParameterSets
    $default = $Command.DefaultParameterSet
    $primary = if ($default -and $sets.ContainsKey($default)) { $sets[$default] }
    elseif ($sets.ContainsKey('__AllParameterSets')) { $sets['__AllParameterSets'] }
    else { @($sets.Values)[0] }
    $positions = @($sets.Values | ForEach-Object Position | Select-Object -Unique)
    $position = if ($positions.Count -eq 1) { $positions[0] } else { $primary.Position }
    $byValue = [bool]($sets.Values | Where-Object ValueFromPipeline)
    $byName = [bool]($sets.Values | Where-Object ValueFromPipelineByPropertyName)
    $setNames = if ($sets.ContainsKey('__AllParameterSets')) { '(All)' } else { ($sets.Keys | Sort-Object) -join ', ' }
    [pscustomobject]@{
        Name          = $Parameter.Name
        Type          = $Parameter.ParameterType
        TypeName      = Get-VdcTypeDisplayName $Parameter.ParameterType
        IsSwitch      = $Parameter.SwitchParameter
        Required      = if ($sets.Values | Where-Object IsMandatory) { 'true' } else { 'false' }
        Position      = Format-VdcPosition $position
        PipelineInput = Format-VdcPipelineInput $byValue $byName
        Globbing      = if ($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }) { 'true' } else { 'false' }
        Aliases       = if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }
        VariableLength = if ($Parameter.ParameterType.IsArray) { 'true' } else { 'false' }
        AcceptedValues = @(Get-VdcAcceptedValues $Parameter)
        ParameterSets = $setNames
    }
}

function Get-VdcSyntaxParameters {
    # Display order of Get-Command -Syntax: positional by position, then mandatory named, then the
    # other named parameters, each group in declaration order. Common parameters are left out.
    param([System.Management.Automation.CommandParameterSetInfo] $Set)
    $common = [System.Management.Automation.Cmdlet]::CommonParameters
    $ps = @($Set.Parameters | Where-Object { -not $common.Contains($_.Name) })
    $i = 0
    $indexed = foreach ($p in $ps) { [pscustomobject]@{ P = $p; I = $i++ } }
    $positional = @($indexed | Where-Object { $_.P.Position -ge 0 } | Sort-Object { $_.P.Position }, I)
    $mandatory = @($indexed | Where-Object { $_.P.Position -lt 0 -and $_.P.IsMandatory } | Sort-Object I)
    $rest = @($indexed | Where-Object { $_.P.Position -lt 0 -and -not $_.P.IsMandatory } | Sort-Object I)
    @($positional + $mandatory + $rest | ForEach-Object P)
}

# ==================================================================================================
# MAML writing
# ==================================================================================================

function Write-VdcMamlFile {
    param([string] $Path, [object[]] $Commands)

    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.IndentChars = '  '
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $settings.CheckCharacters = $true
    $settings.NewLineChars = "`n"
    $stream = [System.IO.MemoryStream]::new()
    $w = [System.Xml.XmlWriter]::Create($stream, $settings)
    try {
        $w.WriteStartDocument()
        $w.WriteStartElement('helpItems', $script:MamlNs)
        $w.WriteAttributeString('schema', 'maml')
        foreach ($prefix in $script:MamlNamespaces.Keys) {
            $w.WriteAttributeString('xmlns', $prefix, 'http://www.w3.org/2000/xmlns/', $script:MamlNamespaces[$prefix])
        }
        foreach ($c in $Commands) {
            try { Write-VdcMamlCommand -Writer $w -Model $c }
            catch [System.ArgumentException] {
                throw "HelpCompiler: $($c.Command.Name).md contains a character that XML cannot hold: $($_.Exception.Message)"
            }
        }
        $w.WriteEndElement()
        $w.WriteEndDocument()
    }
    finally { $w.Dispose() }
    [System.IO.File]::WriteAllBytes($Path, $stream.ToArray())
}

function Write-VdcElement($W, [string] $Prefix, [string] $Name, [string] $Value) {
    $W.WriteElementString($Prefix, $Name, $script:MamlNamespaces[$Prefix], $Value)
}

function Write-VdcParas($W, [string] $Prefix, [string] $Name, [string[]] $Paras) {
    $W.WriteStartElement($Prefix, $Name, $script:MamlNamespaces[$Prefix])
    foreach ($p in @($Paras)) { if ($null -ne $p) { Write-VdcElement $W 'maml' 'para' $p } }
    $W.WriteEndElement()
}

function Write-VdcMamlParameter {
    param($W, $Info, [string[]] $Description, [string] $DefaultValue, [string] $Required, [string] $Position,
        [string] $PipelineInput, [switch] $InSyntax)
    $ns = $script:MamlNamespaces
    $W.WriteStartElement('command', 'parameter', $ns.command)
    $W.WriteAttributeString('required', $Required)
    $W.WriteAttributeString('variableLength', $Info.VariableLength)
    $W.WriteAttributeString('globbing', $Info.Globbing)
    $W.WriteAttributeString('pipelineInput', $PipelineInput)
    $W.WriteAttributeString('position', $Position)
    $W.WriteAttributeString('aliases', $Info.Aliases)
    Write-VdcElement $W 'maml' 'name' $Info.Name
    Write-VdcParas $W 'maml' 'description' $Description
    if ($Info.AcceptedValues.Count -gt 0) {
        $W.WriteStartElement('command', 'parameterValueGroup', $ns.command)
        foreach ($v in $Info.AcceptedValues) {
            $W.WriteStartElement('command', 'parameterValue', $ns.command)
            $W.WriteAttributeString('required', 'false')
            $W.WriteAttributeString('command', 'variableLength', $ns.command, 'false')
            $W.WriteString($v)
            $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }
    # Switches show as [-Name] in syntax, so their syntax entry has no parameterValue.
    if (-not ($InSyntax -and $Info.IsSwitch)) {
        $W.WriteStartElement('command', 'parameterValue', $ns.command)
        $W.WriteAttributeString('required', $(if ($Info.IsSwitch) { 'false' } else { 'true' }))
        $W.WriteAttributeString('variableLength', $Info.VariableLength)
        $W.WriteString($Info.TypeName)
        $W.WriteEndElement()
    }
    $W.WriteStartElement('dev', 'type', $ns.dev)
    Write-VdcElement $W 'maml' 'name' $Info.TypeName
    Write-VdcElement $W 'maml' 'uri' ''
    $W.WriteEndElement()
    Write-VdcElement $W 'dev' 'defaultValue' $DefaultValue
    $W.WriteEndElement()
}

function Write-VdcMamlCommand {
    param($Writer, $Model)
    $w = $Writer
    $ns = $script:MamlNamespaces
    $cmd = $Model.Command

    $w.WriteStartElement('command', 'command', $ns.command)

    $w.WriteStartElement('command', 'details', $ns.command)
    Write-VdcElement $w 'command' 'name' $cmd.Name
    Write-VdcElement $w 'command' 'verb' $cmd.Verb
    Write-VdcElement $w 'command' 'noun' $cmd.Noun
    Write-VdcParas $w 'maml' 'description' @($Model.Synopsis)
    $w.WriteEndElement()

    Write-VdcParas $w 'maml' 'description' $Model.Description

    # Per-parameter info (merged over sets) and texts.
    $infos = [ordered]@{}
    foreach ($p in $cmd.Parameters.Values) {
        if ($Model.Parameters.Contains($p.Name)) { $infos[$p.Name] = Get-VdcParameterInfo -Parameter $p -Command $cmd }
    }
    $default = @{}
    foreach ($name in $Model.Parameters.Keys) {
        $dv = $Model.Parameters[$name].DefaultValue
        $default[$name] = if (-not [string]::IsNullOrWhiteSpace($dv)) { $dv } elseif ($infos[$name].IsSwitch) { 'False' } else { 'None' }
    }

    # SYNTAX: one item per parameter set, attributes of that set.
    $w.WriteStartElement('command', 'syntax', $ns.command)
    $sets = @($cmd.ParameterSets | Sort-Object { -not $_.IsDefault })
    foreach ($set in $sets) {
        $w.WriteStartElement('command', 'syntaxItem', $ns.command)
        Write-VdcElement $w 'maml' 'name' $cmd.Name
        foreach ($p in (Get-VdcSyntaxParameters -Set $set)) {
            Write-VdcMamlParameter -W $w -Info $infos[$p.Name] -Description $Model.Parameters[$p.Name].Description `
                -DefaultValue $default[$p.Name] -Required ($p.IsMandatory.ToString().ToLowerInvariant()) `
                -Position (Format-VdcPosition $p.Position) `
                -PipelineInput (Format-VdcPipelineInput $p.ValueFromPipeline $p.ValueFromPipelineByPropertyName) -InSyntax
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    # PARAMETERS: in the order of the markdown page.
    $w.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($name in $Model.Parameters.Keys) {
        $info = $infos[$name]
        Write-VdcMamlParameter -W $w -Info $info -Description $Model.Parameters[$name].Description -DefaultValue $default[$name] `
            -Required $info.Required -Position $info.Position -PipelineInput $info.PipelineInput
    }
    $w.WriteEndElement()

    foreach ($kind in @(@('inputTypes', 'inputType', $Model.Inputs), @('returnValues', 'returnValue', $Model.Outputs))) {
        $w.WriteStartElement('command', $kind[0], $ns.command)
        foreach ($entry in @($kind[2])) {
            $w.WriteStartElement('command', $kind[1], $ns.command)
            $w.WriteStartElement('dev', 'type', $ns.dev)
            Write-VdcElement $w 'maml' 'name' $entry.Name
            $w.WriteEndElement()
            Write-VdcParas $w 'maml' 'description' $entry.Description
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }

    $w.WriteStartElement('maml', 'alertSet', $ns.maml)
    if ($Model.Notes.Count -gt 0) { Write-VdcParas $w 'maml' 'alert' $Model.Notes }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'examples', $ns.command)
    $n = 0
    foreach ($ex in $Model.Examples) {
        $n++
        $w.WriteStartElement('command', 'example', $ns.command)
        $dashes = '-' * [Math]::Max(2, [int][Math]::Floor((64 - $ex.Title.Length) / 2))
        Write-VdcElement $w 'maml' 'title' "$dashes $($ex.Title) $dashes"
        Write-VdcElement $w 'dev' 'code' $ex.Code
        Write-VdcParas $w 'dev' 'remarks' $ex.Remarks
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'relatedLinks', $ns.command)
    foreach ($link in $Model.Links) {
        $w.WriteStartElement('maml', 'navigationLink', $ns.maml)
        Write-VdcElement $w 'maml' 'linkText' $link.Text
        Write-VdcElement $w 'maml' 'uri' $link.Uri
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteEndElement()
}

# ==================================================================================================
# About topics
# ==================================================================================================

function ConvertFrom-VdcAboutPage {
    # PlatyPS 0.14 about schema: "# Title", "## about_Name", then "# SHORT DESCRIPTION",
    # "# LONG DESCRIPTION" (with optional "## Subtopic"s), "# EXAMPLES", "# NOTE",
    # "# TROUBLESHOOTING NOTE", "# SEE ALSO", "# KEYWORDS". The newer PowerShell-Docs layout
    # ("# about_Name", "## Short description", "## Long description", "### Subtopic") is accepted too.
    # Written as the classic about_*.help.txt layout: TOPIC / SHORT DESCRIPTION / LONG DESCRIPTION ...,
    # section headings flush left in capitals, subtopics indented 2, text indented 4 and wrapped at
    # 80 columns, code indented 8 and never wrapped.
    param($Doc, [System.Collections.Generic.List[string]] $Problems)

    $file = $Doc.Name
    $count = $Problems.Count
    $name = $Doc.BaseName
    $blocks = @($Doc.Blocks)
    $headings = @($blocks | Where-Object Kind -EQ 'Heading')
    if ($headings.Count -ge 1 -and $headings[0].Level -eq 1 -and $headings[0].Text -eq $name) {
        $lookup = $headings[0]; $sectionLevel = 2          # "# about_Name" + "## Short description"
    }
    elseif ($headings.Count -ge 2 -and $headings[0].Level -eq 1 -and $headings[1].Level -eq 2) {
        $lookup = $headings[1]; $sectionLevel = 1          # "# Title" + "## about_Name" + "# SHORT DESCRIPTION"
    }
    else {
        $Problems.Add("${file}: must start with '# <Topic title>' and '## $name' (PlatyPS about schema).")
        return $null
    }
    if ($lookup.Text -cne $name) {
        $Problems.Add("${file}:$($lookup.Line): heading is '$('#' * $lookup.Level) $($lookup.Text)', expected '$('#' * $lookup.Level) $name' (the file name).")
    }
    $index = 0
    while (-not ($blocks[$index].Kind -eq 'Heading' -and $blocks[$index].Line -eq $lookup.Line)) { $index++ }
    $body = @(if ($index + 1 -lt $blocks.Count) { $blocks[($index + 1)..($blocks.Count - 1)] })

    $marks = '#' * $sectionLevel
    $sections = @(Split-VdcSection -Blocks $body -Level $sectionLevel)
    $short = @($sections | Where-Object { $_.Title -and $_.Title.ToUpperInvariant() -eq 'SHORT DESCRIPTION' })
    $long = @($sections | Where-Object { $_.Title -and $_.Title.ToUpperInvariant() -eq 'LONG DESCRIPTION' })
    if ($short.Count -ne 1 -or -not (Get-VdcParagraphs $short[0].Blocks)) { $Problems.Add("${file}: needs one '$marks SHORT DESCRIPTION' section with text.") }
    if ($long.Count -ne 1 -or -not (Get-VdcParagraphs $long[0].Blocks)) { $Problems.Add("${file}: needs one '$marks LONG DESCRIPTION' section with text.") }
    if ($Problems.Count -ne $count) { return $null }

    $sb = [System.Text.StringBuilder]::new()
    $null = $sb.Append("TOPIC`n    $name`n")
    foreach ($s in $sections) {
        if ($s.Title) { $null = $sb.Append("`n" + $s.Title.ToUpperInvariant() + "`n") }
        foreach ($b in $s.Blocks) {
            switch ($b.Kind) {
                'Heading' {
                    $indent = if ($b.Level -le $sectionLevel + 1) { '  ' } else { '    ' }
                    $null = $sb.Append("`n$indent$($b.Text)`n")
                }
                'Code' {
                    foreach ($cl in $b.Text.Split("`n")) { $null = $sb.Append(("        $cl").TrimEnd() + "`n") }
                    $null = $sb.Append("`n")
                }
                default {
                    if ($b.Info -eq 'list') {
                        foreach ($item in $b.Text.Split("`n")) {
                            $lead = [regex]::Match($item, '^(\s*)(\S+\s)').Value
                            $null = $sb.Append((Format-VdcWrapped -Text $item.Substring($lead.Length) -FirstIndent ('    ' + $lead) -Indent (' ' * (4 + $lead.Length))))
                        }
                    }
                    else {
                        foreach ($pl in $b.Text.Split("`n")) { $null = $sb.Append((Format-VdcWrapped -Text $pl -FirstIndent '    ' -Indent '    ')) }
                    }
                    $null = $sb.Append("`n")
                }
            }
        }
    }
    $text = ($sb.ToString() -replace "`n{3,}", "`n`n").TrimEnd() + "`n"
    [pscustomobject]@{ Name = $name; Text = ($text -replace "`n", [Environment]::NewLine) }
}

function Format-VdcWrapped([string] $Text, [string] $FirstIndent, [string] $Indent) {
    $sb = [System.Text.StringBuilder]::new()
    $line = $FirstIndent
    $empty = $true
    foreach ($word in ($Text -split '\s+' | Where-Object { $_ })) {
        if (-not $empty -and ($line.Length + 1 + $word.Length) -gt $script:AboutWidth) {
            $null = $sb.Append($line.TrimEnd() + "`n")
            $line = $Indent + $word
        }
        else {
            $line = if ($empty) { $line + $word } else { "$line $word" }
        }
        $empty = $false
    }
    $null = $sb.Append($line.TrimEnd() + "`n")
    $sb.ToString()
}

Export-ModuleMember -Function ConvertTo-VdcMamlHelp
