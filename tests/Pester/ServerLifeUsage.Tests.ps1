#Requires -Version 7.2
<#
.SYNOPSIS
    Get-VdcUsage bills a real server for the life it had, at the flavor it ran (issue 13 item 4).
.DESCRIPTION
    One tenant with one real (fake-driver) server: booted at m1.tiny, resized to m1.small and
    confirmed, shelved (the lab offloads at once) and unshelved. Nova's os-simple-tenant-usage
    prices its whole life at m1.small and counts only from the unshelve; VdcPS must bill m1.tiny
    until the resize took effect, m1.small after, and nothing while shelved.
    The oracle is the openstack CLI's `server event list` / `server event show` (Nova's instance
    actions and their events, read at microversion 2.92): each step takes effect when its compute
    event finishes (build, finish_resize, shelve, unshelve). The expected hours per flavor are
    computed here from those timestamps, in decimal ticks (Nova keeps microseconds): no tolerance.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    Initialize-TestLab -NoJournal
}
AfterAll { Clear-TestLab }

Describe 'Get-VdcUsage with a resized, shelved and unshelved server' -Tag Lab {
    BeforeAll {
        $script:t = New-VdcTenant -Name (New-TestTenantName 'life') -Plan vdc-small -CustomerId C-LIFE
        Invoke-OpenStackRaw role add --user admin --project $t.Id member | Out-Null

        function Wait-LabServer {
            param([Parameter(Mandatory)] [string] $Id, [Parameter(Mandatory)] [string] $Status, [int] $TimeoutSec = 600)
            $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
            while ($true) {
                $s = Invoke-OpenStack --os-compute-api-version 2.73 server show $Id
                if ($s.status -eq $Status -and -not $s.'OS-EXT-STS:task_state') { return $s }
                if ($s.status -eq 'ERROR') { throw "server $Id went to ERROR: $($s.fault | ConvertTo-Json -Compress)" }
                if ([DateTime]::UtcNow -gt $deadline) { throw "server $Id is $($s.status)/$($s.'OS-EXT-STS:task_state'), not $Status, after $TimeoutSec s" }
                Start-Sleep -Seconds 1
            }
        }

        $script:Start = [DateTime]::UtcNow.AddMinutes(-5)
        $script:Server = (Invoke-OpenStack --os-project-id $t.Id --os-compute-api-version 2.37 server create --flavor m1.tiny --image vdcps-tiny --nic none --wait "$($t.Name)-vm").id
        Wait-LabServer $Server ACTIVE | Out-Null
        Invoke-OpenStackRaw server resize --flavor m1.small --wait $Server | Out-Null
        Wait-LabServer $Server VERIFY_RESIZE | Out-Null
        Invoke-OpenStackRaw server resize confirm $Server | Out-Null
        Wait-LabServer $Server ACTIVE | Out-Null
        Invoke-OpenStackRaw server shelve --wait $Server | Out-Null
        Wait-LabServer $Server SHELVED_OFFLOADED | Out-Null
        Invoke-OpenStackRaw server unshelve --wait $Server | Out-Null
        Wait-LabServer $Server ACTIVE | Out-Null
        Start-Sleep -Seconds 2
        # A period that ends in the past, after every step: Nova counts up to its end.
        $now = [DateTime]::UtcNow
        $script:End = [DateTime]::new($now.Ticks - ($now.Ticks % [TimeSpan]::TicksPerSecond), 'Utc')

        # ---- the oracle: when each step took effect, from the CLI
        function ConvertFrom-NovaTime($Text) {
            # ConvertFrom-Json already made Nova's naive UTC text a DateTime (ticks kept, kind unspecified)
            if ($Text -is [DateTime]) { return [DateTime]::SpecifyKind($Text, 'Utc') }
            [DateTime]::ParseExact($Text, @('yyyy-MM-ddTHH:mm:ss.ffffff', 'yyyy-MM-ddTHH:mm:ss'), [Globalization.CultureInfo]::InvariantCulture,
                [Globalization.DateTimeStyles]::AssumeUniversal -bor [Globalization.DateTimeStyles]::AdjustToUniversal)
        }
        function Get-Finish([string] $Action, [string[]] $Events) {
            $entry = @(Invoke-OpenStack --os-compute-api-version 2.92 server event list $Server | Where-Object Action -EQ $Action)
            if ($entry.Count -ne 1) { throw "expected one '$Action' action, found $($entry.Count)" }
            $detail = Invoke-OpenStack --os-compute-api-version 2.92 server event show $Server $entry[0].'Request ID'
            $e = @($detail.events | Where-Object { $_.event -in $Events -and $_.result -eq 'Success' })
            if ($e.Count -ne 1) { throw "action '$Action' has no single finished event of $($Events -join ', '): $($detail.events.event -join ', ')" }
            ConvertFrom-NovaTime $e[0].finish_time
        }
        $script:Built = Get-Finish create 'compute__do_build_and_run_instance'
        $script:Resized = Get-Finish resize 'compute_finish_resize'
        $script:Shelved = Get-Finish shelve 'compute_shelve_instance', 'compute_shelve_offload_instance'
        $script:Unshelved = Get-Finish unshelve 'compute_unshelve_instance'

        function Get-Hours([DateTime] $From, [DateTime] $To) { [decimal]($To - $From).Ticks / [decimal][TimeSpan]::TicksPerHour }
        # Compared at 1e-9 h (3.6 microseconds, finer than Nova's microsecond clock once multiplied out): Nova's
        # own line arrives as a binary float, so the last of 28 decimal digits may differ.
        function Round9($x) { [math]::Round([decimal]$x, 9) }
        # As text for a list comparison: the same number always the same text ([math]::Round keeps a
        # decimal's trailing zeros: 0.006109890 from one side, 0.00610989 from the other).
        function Text9($x) { (Round9 $x).ToString('0.#########', [cultureinfo]::InvariantCulture) }
        # What a failed comparison prints beside the numbers: the command's warnings and errors, the oracle's times.
        function Get-Diagnosis($Warnings, $Errors) {
            "warnings: [$(@($Warnings) -join ' | ')], errors: [$(@($Errors) -join ' | ')], " +
            "built $($Built.ToString('o')), resized $($Resized.ToString('o')), shelved $($Shelved.ToString('o')), unshelved $($Unshelved.ToString('o')), end $($End.ToString('o'))"
        }
        $script:TinyHours = Get-Hours $Built $Resized
        $script:SmallHours = (Get-Hours $Resized $Shelved) + (Get-Hours $Unshelved $End)
        $script:NovaHours = Get-Hours ([DateTime]::SpecifyKind((Invoke-OpenStack --os-compute-api-version 2.73 server show $Server).'OS-SRV-USG:launched_at', 'Utc')) $End
    }
    AfterAll {
        if ($Server) { & openstack --os-cloud vdcps-lab server delete --wait $Server 2>$null | Out-Null }
        Remove-TestProject $t.Name
    }

    It 'the oracle shows the order create < resize < shelve < unshelve inside the period' {
        $Start | Should -BeLessThan $Built
        $Built | Should -BeLessThan $Resized
        $Resized | Should -BeLessThan $Shelved
        $Shelved | Should -BeLessThan $Unshelved
        $Unshelved | Should -BeLessThan $End
    }

    It 'the tenant totals are the hours per flavor from the oracle (not Nova''s line)' {
        $rows = Get-VdcUsage -Id $t.Id -Start $Start -End $End -Source Nova -WarningVariable w -ErrorVariable e
        $why = Get-Diagnosis $w $e
        $q = @{}; $rows | ForEach-Object { $q[$_.Resource] = $_.Quantity }
        Round9 $q['instance-hour'] | Should -Be (Round9 ($TinyHours + $SmallHours)) -Because $why
        Round9 $q['vcpu-hour'] | Should -Be (Round9 ($TinyHours * 1 + $SmallHours * 1)) -Because $why
        Round9 $q['ram-gb-hour'] | Should -Be (Round9 (($TinyHours * 512 + $SmallHours * 2048) / 1024)) -Because $why
        Round9 $q['disk-gb-hour'] | Should -Be (Round9 ($TinyHours * 1 + $SmallHours * 20)) -Because $why
        # Nova's own line: from the unshelve only, everything at m1.small (what VdcPS corrects)
        $NovaHours | Should -BeLessThan ($TinyHours + $SmallHours)
    }

    It '-Detailed splits the server per flavor, and the whole-cloud walk gives the same totals' {
        $detail = Get-VdcUsage -Id $t.Id -Start $Start -End $End -Source Nova -Detailed -WarningVariable w -ErrorVariable e |
            Where-Object { $_.IsDetail -and $_.ServerId -eq $Server -and $_.Resource -eq 'instance-hour' }
        ($detail | ForEach-Object { "$($_.Flavor)=$(Text9 $_.Quantity)" }) | Should -Be @("m1.tiny=$(Text9 $TinyHours)", "m1.small=$(Text9 $SmallHours)") -Because (Get-Diagnosis $w $e)

        # The whole cloud, while other test files may create and delete servers and tenants beside it.
        $walk = @(Get-VdcUsage -Start $Start -End $End -Source Nova -WarningVariable w -ErrorVariable e | Where-Object TenantId -EQ $t.Id)
        $why = Get-Diagnosis $w $e
        $disk = @($walk | Where-Object Resource -EQ 'disk-gb-hour')
        $disk.Count | Should -Be 1 -Because $why
        Round9 $disk[0].Quantity | Should -Be (Round9 ($TinyHours * 1 + $SmallHours * 20)) -Because $why
        @($w | Where-Object { "$_" -like "*$Server*" }) | Should -BeNullOrEmpty -Because $why
    }
}
