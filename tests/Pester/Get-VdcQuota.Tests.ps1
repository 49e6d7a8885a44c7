# Get-VdcQuota: parameter contract, and the lab cross-checked with the openstack CLI (limits with
# `quota show`, Nova/Neutron usage with `quota list --detail`, Cinder usage through its API, since
# CLI 6.0 reports none), with seeded usage, out-of-plan values, per-volume-type keys and CSV export.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $env:VDCPS_PLAN_CATALOG = $SampleCatalog
}
AfterAll { $env:VDCPS_PLAN_CATALOG = $null }

Describe 'Get-VdcQuota parameters' -Tag Unit {
    BeforeAll { $script:command = Get-Command Get-VdcQuota }

    It 'has exactly the documented parameters' {
        $own = $command.Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters }
        Compare-Object ($own | Sort-Object) (@('Name', 'Id', 'InputObject', 'Service', 'Resource', 'ThrottleLimit', 'DomainId',
                'IncludeUnmanaged', 'CatalogPath', 'SystemContext', 'Context') | Sort-Object) | Should -BeNullOrEmpty
    }

    It 'has the parameter sets Name (default), Id and InputObject' {
        $command.DefaultParameterSet | Should -Be 'Name'
        ($command.ParameterSets.Name | Sort-Object) | Should -Be @('Id', 'InputObject', 'Name')
    }

    It 'binds tenants by property name and by value' {
        $command.Parameters.Id.Aliases | Should -Be @('TenantId', 'ProjectId')
        $command.Parameters.Name.Aliases | Should -Be @('TenantName')
        $command.Parameters.Id.ParameterSets.Id.ValueFromPipelineByPropertyName | Should -BeTrue
        $command.Parameters.Name.ParameterSets.Name.ValueFromPipelineByPropertyName | Should -BeTrue
        $command.Parameters.InputObject.ParameterSets.InputObject.ValueFromPipeline | Should -BeTrue
    }

    It 'declares VdcQuota as output and 4 as the default throttle' {
        $command.OutputType.Type | Should -Be ([VdcPS.Models.VdcQuota])
        (New-Object VdcPS.Commands.GetVdcQuotaCommand).ThrottleLimit | Should -Be 4
        $command.Parameters.Service.Attributes.ValidValues | Should -Be @('compute', 'block-storage', 'network')
    }
}

Describe 'Get-VdcQuota against the lab' -Tag Lab {
    BeforeAll {
        Initialize-TestLab -NoCatalog -NoJournal
        $prefix = New-TestTenantName 'gq'
        $script:small = New-VdcTenant -Name "$prefix-a" -Plan vdc-small -CustomerId C-GQ
        $script:medium = New-VdcTenant -Name "$prefix-b" -Plan vdc-medium -CustomerId C-GQ
        $script:prefix = $prefix

        # usage: 3 running servers of 2 vCPUs / 4 GB (Nova counts them), one network (Neutron)
        $servers = 1..3 | ForEach-Object {
            @{ project_id = $small.Id; name = "vm-$_"; flavor = @{ name = 'm1.medium'; vcpus = 2; memory_mb = 4096; root_gb = 40; ephemeral_gb = 0 }
                launched_at = '2026-11-01T00:00:00Z'; terminated_at = $null }
        }
        $seed = Join-Path ([IO.Path]::GetTempPath()) "vdcps-gq-$prefix.json"
        ConvertTo-Json @($servers) -Depth 5 | Set-Content $seed
        & /usr/bin/python3 (Join-Path $RepoRoot 'tests/lab/seed-usage.py') $seed --month 2026-11 2>$null | Out-Null
        $LASTEXITCODE | Should -Be 0
        Remove-Item $seed
        $script:net = Invoke-OpenStack network create --project $small.Id "net-$prefix"

        # out of plan, set behind VdcPS's back: vdc-small allows 2..8 cores
        Invoke-OpenStackRaw quota set --cores 20 --routers 3 $small.Id | Out-Null

        $script:rows = @(Get-VdcQuota -Name "$prefix-*")
        $script:osc = @{ $small.Id = Get-OscQuota -Project $small.Id; $medium.Id = Get-OscQuota -Project $medium.Id }

        function Get-CinderUsage([string] $ProjectId) {
            # CLI 6.0 shows no Cinder usage: ask the API with the CLI's token (its own project in the URL).
            $token = Invoke-OpenStack token issue
            (Invoke-RestMethod -Uri "http://127.0.0.1:8776/v3/$($token.project_id)/os-quota-sets/${ProjectId}?usage=true" -Headers @{ 'X-Auth-Token' = $token.id }).quota_set
        }
    }
    AfterAll {
        if ($net) { Invoke-OpenStackRaw network delete $net.id | Out-Null }
        & /usr/bin/python3 (Join-Path $RepoRoot 'tests/lab/seed-usage.py') --clear-project $small.Id --keep-projects 2>$null | Out-Null
        Remove-TestProject $small.Name
        Remove-TestProject $medium.Name
        Clear-TestLab
    }

    It 'returns every quota of both tenants, in name order, grouped by service' {
        ($rows.TenantName | Select-Object -Unique) | Should -Be @($small.Name, $medium.Name)
        foreach ($t in $small, $medium) {
            ($rows | Where-Object TenantName -eq $t.Name).Service | Select-Object -Unique | Should -Be @('compute', 'block-storage', 'network')
        }
        $rows | Where-Object Source -ne 'service' | Should -BeNullOrEmpty
    }

    It 'reports exactly the limits that openstack quota show reports, for every row' {
        foreach ($t in $small, $medium) {
            foreach ($row in $rows | Where-Object TenantId -eq $t.Id) {
                $key = "$($row.Service).$($row.Resource)"
                $osc[$t.Id].ContainsKey($key) | Should -BeTrue -Because "the CLI reports $key"
                $row.Limit | Should -Be $osc[$t.Id][$key] -Because "$key of $($t.Name)"
            }
        }
    }

    It 'reports the per-volume-type quotas of the volume type __DEFAULT__' {
        $types = $rows | Where-Object { $_.TenantId -eq $small.Id -and $_.Resource -like '*___DEFAULT__' }
        ($types.Resource | Sort-Object) | Should -Be @('gigabytes___DEFAULT__', 'snapshots___DEFAULT__', 'volumes___DEFAULT__')
        ($types | Where-Object Resource -eq 'gigabytes___DEFAULT__').Unit | Should -Be 'GB'
        foreach ($t in $types) { $t.Limit | Should -Be $osc[$small.Id]["block-storage.$($t.Resource)"] }
    }

    It 'reports the seeded Nova usage as openstack quota list --detail --compute does' {
        $detail = Invoke-OpenStack quota list --detail --compute --project $small.Id
        foreach ($key in 'cores', 'instances', 'ram') {
            $row = $rows | Where-Object { $_.TenantId -eq $small.Id -and $_.Service -eq 'compute' -and $_.Resource -eq $key }
            $oracle = $detail | Where-Object Resource -eq $key
            $row.InUse | Should -Be $oracle.'In Use' -Because "compute.$key in use"
            $row.Reserved | Should -Be $oracle.Reserved
        }
        ($rows | Where-Object { $_.TenantId -eq $small.Id -and $_.Resource -eq 'cores' }).InUse | Should -Be 6
    }

    It 'reports Neutron usage as openstack quota list --detail --network does' {
        $names = @{ networks = 'network'; ports = 'port'; subnets = 'subnet'; routers = 'router'; floating_ips = 'floatingip'
            security_groups = 'security_group'; security_group_rules = 'security_group_rule'; rbac_policies = 'rbac_policy'; subnet_pools = 'subnetpool' }
        # fresh rows: creating the network made Neutron count a default security group and its rules too
        $now = @(Get-VdcQuota -Id $small.Id -Service network)
        $detail = Invoke-OpenStack quota list --detail --network --project $small.Id
        foreach ($d in $detail) {
            $row = $now | Where-Object Resource -eq $names[$d.Resource]
            $row.InUse | Should -Be $d.'In Use' -Because "network.$($names[$d.Resource]) in use"
        }
        ($now | Where-Object Resource -eq 'network').InUse | Should -Be 1
    }

    It 'reports Cinder usage as the Cinder API does' {
        $api = Get-CinderUsage $small.Id
        foreach ($row in $rows | Where-Object { $_.TenantId -eq $small.Id -and $_.Service -eq 'block-storage' }) {
            $row.InUse | Should -Be $api.($row.Resource).in_use -Because "block-storage.$($row.Resource) in use"
            $row.Limit | Should -Be $api.($row.Resource).limit
        }
    }

    It 'shows the plan bounds and flags the quotas set outside them' {
        $cores = $rows | Where-Object { $_.TenantId -eq $small.Id -and $_.Resource -eq 'cores' }
        $cores.Limit | Should -Be 20
        $cores.PlanMin | Should -Be 2
        $cores.PlanMax | Should -Be 8
        $cores.PlanRange | Should -Be '2..8'
        $cores.OutOfPlan | Should -BeTrue
        ($rows | Where-Object { $_.TenantId -eq $small.Id -and $_.Resource -eq 'router' }).OutOfPlan | Should -BeTrue
        ($rows | Where-Object { $_.TenantId -eq $small.Id -and $_.OutOfPlan }).Resource | Sort-Object | Should -Be @('cores', 'router')
        $rows | Where-Object { $_.TenantId -eq $medium.Id -and $_.OutOfPlan } | Should -BeNullOrEmpty
        $meta = $rows | Where-Object { $_.TenantId -eq $small.Id -and $_.Resource -eq 'metadata_items' }
        $meta.PlanMax | Should -BeNullOrEmpty -Because 'vdc-small does not list metadata_items'
        $meta.OutOfPlan | Should -BeFalse
    }

    It 'spells unlimited so that a person and a spreadsheet understand it' {
        $u = $rows | Where-Object { $_.TenantId -eq $small.Id -and $_.Resource -eq 'per_volume_gigabytes' }
        $u.Limit | Should -Be -1
        $u.IsUnlimited | Should -BeTrue
        $u.LimitText | Should -Be 'unlimited'
        ($rows | Where-Object { -not $_.IsUnlimited }).LimitText | ForEach-Object { $_ | Should -Match '^\d+$' }
    }

    It 'streams Get-VdcTenant | Get-VdcQuota | Export-Csv into a clean file' {
        $csv = Join-Path ([IO.Path]::GetTempPath()) "vdcps-quota-$prefix.csv"
        try {
            Get-VdcTenant -Name "$prefix-*" | Get-VdcQuota | Export-Csv -Path $csv -NoTypeInformation
            $lines = Get-Content $csv
            @($lines | Where-Object { $_ -like '"TenantId",*' }).Count | Should -Be 1
            $back = Import-Csv $csv
            $back.Count | Should -Be $rows.Count
            $header = $back[0].PSObject.Properties.Name
            $header | Should -Be @([VdcPS.Models.VdcQuota].GetProperties().Name)
            $back | ForEach-Object { $_.PSObject.Properties.Name | Should -Be $header }
            ($back | Where-Object { $_.TenantId -eq $small.Id -and $_.Resource -eq 'cores' }).OutOfPlan | Should -Be 'True'
        }
        finally { Remove-Item $csv -ErrorAction SilentlyContinue }
    }

    It 'keeps input order across pipeline input, also with one request at a time' {
        $order = Get-VdcTenant -Name "$prefix-*" | Sort-Object Name -Descending
        $piped = @($order | Get-VdcQuota -ThrottleLimit 1 -Service network -Resource router)
        $piped.TenantName | Should -Be @($order.Name)
        $piped = @($order | Get-VdcQuota -ThrottleLimit 8 -Service network -Resource router)
        $piped.TenantName | Should -Be @($order.Name)
    }

    It 'reads by id from the pipeline, also a project VdcPS did not create' {
        $got = @([pscustomobject]@{ ProjectId = (Get-VdcContext).ProjectId }, [pscustomobject]@{ TenantId = $small.Id } | Get-VdcQuota -Service compute -Resource cores)
        $got.TenantName | Should -Be @('admin', $small.Name)
        $got[0].Plan | Should -Be ''
        $got[0].PlanMax | Should -BeNullOrEmpty
    }

    It 'refuses a -SystemContext that is not system-scoped' {
        { Get-VdcQuota -Name $small.Name -SystemContext (Get-VdcContext) } | Should -Throw -ErrorId 'QuotaInputInvalid,*'
    }

    It 'reports an unknown tenant as TenantNotFound and goes on' {
        $got = @(Get-VdcQuota -Name "$prefix-nope", $small.Name -Service network -Resource router -ErrorVariable err -ErrorAction SilentlyContinue)
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantNotFound,*'
        $got.TenantName | Should -Be @($small.Name)
    }
}
