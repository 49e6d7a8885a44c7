# Issue 13, "every price has a meter": a catalog pricing every unit VdcPS measures (volume GB-hours per
# volume type among them), the lab seeded in the shape Ceilometer Zed writes (Nova's usage for servers;
# Gnocchi's volume, snapshot and network resources for the rest), one charge line per unit whose amount
# is computed here by hand, and Test-VdcPlan -Context flagging the rates the lab cannot measure.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Seeder = Join-Path $RepoRoot 'tests/lab/seed-usage.py'
}

Describe 'Every priced unit is measured on the lab' -Tag Lab {
    BeforeAll {
        $env:OS_CLIENT_CONFIG_FILE = $LabClouds
        $script:Context = Connect-VdcCloud -Cloud vdcps-lab -NoSetCurrent
        $suffix = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $script:Ssd = "fast-ssd-$suffix"
        $script:Cap = "capacity-$suffix"
        $script:Missing = "platinum-$suffix"
        # Cinder's volume types, made with the oracle
        $script:SsdId = (Invoke-OpenStack volume type create $Ssd --private).id
        $script:CapId = (Invoke-OpenStack volume type create $Cap --private).id

        # the previous calendar month (UTC): whole hours, all over before now
        $now = [datetime]::UtcNow
        $script:Start = [datetime]::new($now.Year, $now.Month, 1, 0, 0, 0, [DateTimeKind]::Utc).AddMonths(-1)
        $script:End = $Start.AddMonths(1)
        function At([int] $Hours) { $Start.AddHours($Hours).ToString('yyyy-MM-ddTHH:mm:ssZ') }

        $script:Project = "meter-$suffix"
        $seed = @{
            instances    = @(
                @{ project_name = $Project; name = 'vm-a'; flavor = @{ name = 'm1.medium'; vcpus = 2; memory_mb = 4096; root_gb = 40 }; launched_at = (At 0); terminated_at = (At 10) }
                @{ project_name = $Project; name = 'vm-b'; flavor = @{ name = 'm1.small'; vcpus = 1; memory_mb = 2048; root_gb = 20 }; launched_at = (At 5); terminated_at = (At 8) }
            )
            # volume_type as Ceilometer writes it: the id from Cinder's notifications, the name from the pollster
            volumes      = @(
                @{ project_name = $Project; name = 'ssd-1'; size_gb = 100; volume_type = $SsdId; created_at = (At 0); deleted_at = (At 10) }
                @{ project_name = $Project; name = 'ssd-2'; size_gb = 20; volume_type = $Ssd; created_at = (At 2); deleted_at = (At 4) }
                @{ project_name = $Project; name = 'cap-1'; size_gb = 500; volume_type = $Cap; created_at = (At 0); deleted_at = (At 24) }
                @{ project_name = $Project; name = 'untyped'; size_gb = 7; created_at = (At 1); deleted_at = (At 4) }
            )
            snapshots    = @(@{ project_name = $Project; name = 'snap-1'; size_gb = 10; created_at = (At 2); deleted_at = (At 5) })
            floating_ips = @(
                @{ project_name = $Project; name = 'fip-1'; status = 'ACTIVE'; created_at = (At 0); deleted_at = (At 4) }
                @{ project_name = $Project; name = 'fip-2'; status = 'DOWN'; created_at = (At 10); deleted_at = (At 13) }
            )
        }
        $file = Join-Path ([IO.Path]::GetTempPath()) "vdcps-meters-$suffix.json"
        $seed | ConvertTo-Json -Depth 5 | Set-Content $file
        $out = & /usr/bin/python3 $Seeder $file --create-projects --lab $LabDir --start (At 0) --end $End.ToString('yyyy-MM-ddTHH:mm:ssZ') 2>$null
        if ($LASTEXITCODE -ne 0) { throw "seed-usage.py failed ($LASTEXITCODE)" }
        Remove-Item $file
        $script:Seeded = ($out -join "`n") | ConvertFrom-Json -AsHashtable
        $script:ProjectId = $Seeded.project_ids[0]

        # The hand computation: whole hours of each life times its size (or 1 per IP, whatever its status)
        $script:Expected = [ordered]@{
            'instance-hour'         = 10 + 3                       # 13 hours
            'vcpu-hour'             = 2 * 10 + 1 * 3               # 23 vCPU-hours
            'ram-gb-hour'           = 4 * 10 + 2 * 3               # 46 GB-hours
            'disk-gb-hour'          = 40 * 10 + 20 * 3             # 460 GB-hours
            "volume-gb-hour|$Ssd"   = 100 * 10 + 20 * 2            # 1040 GB-hours, id and name alike
            "volume-gb-hour|$Cap"   = 500 * 24                     # 12000 GB-hours
            'volume-gb-hour|'       = 7 * 3                        # 21 GB-hours without a volume type
            'snapshot-gb-hour'      = 10 * 3                       # 30 GB-hours (snapshot.size from the notification is not added)
            'floating-ip-hour'      = 4 + 3                        # 7 IP-hours
        }
        $script:Price = @{
            'instance-hour' = 0.01; 'vcpu-hour' = 0.02; 'ram-gb-hour' = 0.005; 'disk-gb-hour' = 0.001
            "volume-gb-hour|$Ssd" = 0.001; "volume-gb-hour|$Cap" = 0.0001; 'volume-gb-hour|' = 0.01
            'snapshot-gb-hour' = 0.01; 'floating-ip-hour' = 0.05
        }

        $script:Catalog = Join-Path ([IO.Path]::GetTempPath()) "vdcps-meters-$suffix.yaml"
        @"
api_version: vdcps/v1
currency: EUR
plans:
  meter-all:
    prices:
      monthly_fee: 0
      rates:
        instance-hour: 0.01
        vcpu-hour: 0.02
        ram-gb-hour: 0.005
        disk-gb-hour: 0.001
        volume-gb-hour:
          price: 0.01
          volume_types:
            $($Ssd.ToUpperInvariant()): 0.001
            ${Cap}: 0.0001
            ${Missing}: 0.5
        snapshot-gb-hour: 0.01
        floating-ip-hour: 0.05
        router-hour: 0.01
    quotas:
      compute:
        cores: {default: 4, min: 0, max: 8}
"@ | Set-Content $Catalog

        # Gnocchi's metricd aggregates the measures in the background: ask the oracle until it shows what was
        # seeded (or two minutes pass; the first test then fails with what it saw)
        $script:Oracle = @{}
        foreach ($q in @(
                @{ Key = 'volume'; Type = 'volume'; Op = '(aggregate sum (metric volume.size mean))'; Want = 1040 + 12000 + 21 }
                @{ Key = 'snapshot'; Type = 'volume'; Op = '(aggregate sum (metric volume.snapshot.size mean))'; Want = 30 }
                @{ Key = 'fip'; Type = 'network'; Op = '(aggregate sum (metric ip.floating mean))'; Want = 1 * 4 + 3 * 3 })) {
            $deadline = [datetime]::UtcNow.AddSeconds(120)
            do {
                $rows = Invoke-OpenStack metric aggregates --resource-type $q.Type --granularity 3600 --start (At 0) --stop $End.ToString('yyyy-MM-ddTHH:mm:ssZ') --fill 0 $q.Op "project_id=$ProjectId"
                $Oracle[$q.Key] = ($rows | Measure-Object -Property value -Sum).Sum
                if ($Oracle[$q.Key] -eq $q.Want) { break }
                Start-Sleep -Seconds 3
            } while ([datetime]::UtcNow -lt $deadline)
        }
    }
    AfterAll {
        if ($ProjectId) { & /usr/bin/python3 $Seeder --clear-project $ProjectId --lab $LabDir 2>$null | Out-Null }
        foreach ($t in $SsdId, $CapId) { if ($t) { Invoke-OpenStackRaw volume type delete $t | Out-Null } }
        if ($Catalog) { Remove-Item $Catalog -ErrorAction SilentlyContinue }
    }

    It 'the lab holds what was seeded (the oracle: openstack metric aggregates)' {
        $Oracle['volume'] | Should -Be (1040 + 12000 + 21)
        $Oracle['snapshot'] | Should -Be 30
        # the raw status codes: ACTIVE 1 for 4 hours, DOWN 3 for 3 hours
        $Oracle['fip'] | Should -Be (1 * 4 + 3 * 3)
        $Seeded.totals.volume_gb_hours | Should -Be (1040 + 12000 + 21)
    }

    It 'Get-VdcUsage reports every unit, volumes per volume type by name' {
        $usage = Get-VdcUsage -Id $ProjectId -Start $Start -End $End -Context $Context -WarningAction SilentlyContinue
        $got = @{}
        foreach ($r in $usage) {
            $key = if ($r.Resource -eq 'volume-gb-hour') { "$($r.Resource)|$($r.VolumeType)" } else { $r.Resource }
            $got[$key] = $r.Quantity
        }
        foreach ($k in $Expected.Keys) { $got[$k] | Should -Be $Expected[$k] -Because $k }
        $usage.VolumeType | Where-Object { $_ } | Sort-Object | Should -Be (@($Cap, $Ssd) | Sort-Object)
        $usage.VolumeType | Should -Not -Contain $SsdId
    }

    It 'Measure-VdcCharge writes one line per unit, each amount as computed by hand' {
        $lines = Get-VdcUsage -Id $ProjectId -Start $Start -End $End -Context $Context -WarningAction SilentlyContinue |
            ForEach-Object { $_.Plan = 'meter-all'; $_ } |
            Measure-VdcCharge -Start $Start -End $End -CatalogPath $Catalog -Context $Context -WarningAction SilentlyContinue `
                -ErrorAction SilentlyContinue -ErrorVariable rateErrors
        # other tenants of the shared lab (their plans are not in this catalog) may be reported; ours never
        @($rateErrors | Where-Object { "$($_.TargetObject) $($_.Exception.Message)" -match "$ProjectId|$([regex]::Escape($Project))|meter-all" }) | Should -BeNullOrEmpty
        $lines = @($lines | Where-Object TenantId -eq $ProjectId)
        $lines.Count | Should -Be $Expected.Count
        $total = 0
        foreach ($k in $Expected.Keys) {
            $unit, $type = $k -split '\|'
            $line = @($lines | Where-Object { $_.Unit -eq $unit -and ($null -eq $type -or ($type -eq '' -and $_.Description -notmatch '\(') -or ($type -and $_.Description -like "*($type)*")) })
            $line.Count | Should -Be 1 -Because $k
            $amount = [math]::Round([decimal]$Expected[$k] * [decimal]$Price[$k], 2, [MidpointRounding]::AwayFromZero)
            $line[0].Quantity | Should -Be $Expected[$k] -Because $k
            $line[0].UnitPrice | Should -Be ([decimal]$Price[$k]) -Because $k
            $line[0].Amount | Should -Be $amount -Because $k
            $total += $amount
        }
        # 0.13 + 0.46 + 0.23 + 0.46 + 1.04 + 1.20 + 0.21 + 0.30 + 0.35
        $total | Should -Be 4.38
        ($lines | Measure-Object Amount -Sum).Sum | Should -Be 4.38
    }

    It 'Test-VdcPlan -Context flags the rates the lab cannot measure, and nothing else' {
        $problems = @(Test-VdcPlan $Catalog -Context $Context)
        $unmeasured = @($problems | Where-Object Severity -eq 'Unmeasured')
        ($unmeasured | ForEach-Object { "$($_.Rule) $($_.Setting)" }) | Should -Be @(
            "UnknownVolumeType plans.meter-all.prices.rates.volume-gb-hour.volume_types.$Missing"
            'RateNotMeasured plans.meter-all.prices.rates.router-hour')
        $unmeasured[0].Line | Should -Be 17
        $unmeasured[1].Message | Should -Match 'VdcPS reads no meter for router-hour'
        Test-VdcPlan $Catalog -Context $Context -Quiet | Should -BeFalse
        # without -Context, the same catalog is fine: the behaviour of the offline check is unchanged
        @(Test-VdcPlan $Catalog | Where-Object Severity -ne 'Warning').Count | Should -Be 0
        Test-VdcPlan $Catalog -Quiet | Should -BeTrue
    }
}
