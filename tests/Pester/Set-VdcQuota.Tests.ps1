# Set-VdcQuota: parameter contract; in the lab every written value is exactly what `openstack quota
# show` reports afterwards; out-of-plan and below-usage values are refused before anything is sent;
# a service refusing puts the others back (fault proxy in front of the real services); Keystone
# unified limits are written as project limits that `openstack limit list` shows.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $env:VDCPS_PLAN_CATALOG = $SampleCatalog
    $env:VDCPS_JOURNAL = Join-Path ([IO.Path]::GetTempPath()) "vdcps-journal-$([guid]::NewGuid()).jsonl"

    # A catalog whose vdc-small also bounds the per-volume-type quotas of the lab's volume type __DEFAULT__.
    $script:QuotaCatalog = Join-Path ([IO.Path]::GetTempPath()) "vdcps-quota-plans-$([guid]::NewGuid().ToString('N')).yaml"
    @'
api_version: vdcps/v1
currency: EUR
plans:
  vdc-small:
    display_name: VDC Small (quota tests)
    prices:
      monthly_fee: 149.00
      setup_fee: 0
    quotas:
      compute:
        cores:               {default: 4,     min: 2,    max: 8}
        ram:                 {default: 8192,  min: 4096, max: 16384}
        instances:           {default: 5,     min: 1,    max: 10}
        key_pairs:           {default: 10,    min: 1,    max: 50}
      block-storage:
        volumes:             {default: 10,    min: 5,    max: 20}
        gigabytes:           {default: 200,   min: 100,  max: 500}
        snapshots:           {default: 10,    min: 0,    max: 20}
        backups:             {default: 5,     min: 0,    max: 10}
        volumes___DEFAULT__:   {default: -1,  min: 0,    max: unlimited}
        gigabytes___DEFAULT__: {default: -1,  min: 0,    max: unlimited}
      network:
        network:             {default: 2,     min: 1,    max: 5}
        subnet:              {default: 4,     min: 1,    max: 10}
        port:                {default: 25,    min: 10,   max: 50}
        router:              {default: 1,     min: 1,    max: 2}
        floatingip:          {default: 1,     min: 1,    max: 3}
        security_group:      {default: 10,    min: 5,    max: 20}
        security_group_rule: {default: 100,   min: 50,   max: 200}
'@ | Set-Content -Path $QuotaCatalog
}
AfterAll {
    Remove-Item $QuotaCatalog, $env:VDCPS_JOURNAL -ErrorAction SilentlyContinue
    $env:VDCPS_PLAN_CATALOG = $null
}

Describe 'Set-VdcQuota parameters' -Tag Unit {
    BeforeAll { $script:command = Get-Command Set-VdcQuota }

    It 'has exactly the documented parameters' {
        $own = $command.Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and $_ -notin 'WhatIf', 'Confirm' }
        Compare-Object ($own | Sort-Object) (@('Name', 'Id', 'InputObject', 'DomainId', 'Cores', 'RamMB', 'Instances', 'Volumes', 'Gigabytes', 'Snapshots',
                'Networks', 'Subnets', 'Ports', 'Routers', 'FloatingIps', 'SecurityGroups', 'SecurityGroupRules', 'Quota', 'Force', 'PassThru',
                'CatalogPath', 'SystemContext', 'Context') | Sort-Object) | Should -BeNullOrEmpty
    }

    It 'supports ShouldProcess, binds tenants like the tenant cmdlets and declares VdcQuota' {
        $command.Parameters.ContainsKey('WhatIf') | Should -BeTrue
        $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true).ConfirmImpact | Should -Be 'Medium'
        $command.OutputType.Type | Should -Be ([VdcPS.Models.VdcQuota])
        $command.Parameters.Id.Aliases | Should -Be @('TenantId', 'ProjectId')
        $command.Parameters.InputObject.ParameterSets.InputObject.ValueFromPipeline | Should -BeTrue
        $command.Parameters.Cores.ParameterType | Should -Be ([Nullable[long]])
    }
}

Describe 'Set-VdcQuota against the lab' -Tag Lab {
    BeforeAll {
        Initialize-TestLab -NoCatalog -NoJournal
        $script:t = New-VdcTenant -Name (New-TestTenantName 'sq') -Plan vdc-small -CustomerId C-SQ
    }
    AfterAll {
        & /usr/bin/python3 (Join-Path $RepoRoot 'tests/lab/seed-usage.py') --clear-project $t.Id --keep-projects 2>$null | Out-Null
        Remove-TestProject $t.Name
        Clear-TestLab
    }

    It 'writes typed and hashtable quotas of all three services, exactly as openstack quota show reports them' {
        $wanted = @{
            'compute.cores' = 6; 'compute.ram' = 12288; 'compute.instances' = 8; 'compute.key_pairs' = 20
            'block-storage.volumes' = 12; 'block-storage.gigabytes' = 300; 'block-storage.snapshots' = 15; 'block-storage.backups' = 6
            'block-storage.volumes___DEFAULT__' = 7; 'block-storage.gigabytes___DEFAULT__' = 250
            'network.network' = 3; 'network.subnet' = 6; 'network.port' = 40; 'network.router' = 2; 'network.floatingip' = 2
            'network.security_group' = 12; 'network.security_group_rule' = 150
        }
        $rows = @(Set-VdcQuota -Id $t.Id -CatalogPath $QuotaCatalog -Cores 6 -RamMB 12288 -Instances 8 -Volumes 12 -Gigabytes 300 -Snapshots 15 `
                -Networks 3 -Subnets 6 -Ports 40 -Routers 2 -FloatingIps 2 -SecurityGroups 12 -SecurityGroupRules 150 `
                -Quota @{ key_pairs = 20; backups = 6; 'block-storage.volumes___DEFAULT__' = 7; 'block-storage/gigabytes___DEFAULT__' = 250 } -PassThru)
        $rows.Count | Should -Be $wanted.Count
        $osc = Get-OscQuota -Project $t.Id
        foreach ($key in $wanted.Keys) {
            $osc[$key] | Should -Be $wanted[$key] -Because "openstack quota show reports $key"
            ($rows | Where-Object { "$($_.Service).$($_.Resource)" -eq $key }).Limit | Should -Be $wanted[$key] -Because "-PassThru reads $key back"
        }
    }

    It '-WhatIf shows every resource before -> after and changes nothing' {
        $out = Invoke-FreshPwsh @"
`$env:OS_CLIENT_CONFIG_FILE = '$LabClouds'
Import-Module '$ModulePath'
Connect-VdcCloud -Cloud vdcps-lab | Out-Null
Set-VdcQuota -Id $($t.Id) -CatalogPath '$QuotaCatalog' -Cores 7 -Routers 1 -Quota @{ 'volumes___DEFAULT__' = -1 } -WhatIf
"@
        $text = $out -join ' '
        $text | Should -Match 'What if: .*compute\.cores: 6 -> 7'
        $text | Should -Match 'network\.router: 2 -> 1'
        $text | Should -Match 'block-storage\.volumes___DEFAULT__: 7 -> unlimited'
        $osc = Get-OscQuota -Project $t.Id
        $osc['compute.cores'] | Should -Be 6
        $osc['network.router'] | Should -Be 2
    }

    It 'refuses values outside the plan, one error each, and changes nothing' {
        Set-VdcQuota -Id $t.Id -CatalogPath $QuotaCatalog -Cores 9 -Routers 0 -Quota @{ metadata_items = 10 } -ErrorVariable err -ErrorAction SilentlyContinue
        @($err).Count | Should -Be 3
        $err | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'QuotaOutOfPlan,*' }
        "$($err.Exception.Message)" | Should -Match 'compute.cores = 9 is above the maximum 8'
        "$($err.Exception.Message)" | Should -Match 'not part of plan'
        $osc = Get-OscQuota -Project $t.Id
        $osc['compute.cores'] | Should -Be 6
        $osc['network.router'] | Should -Be 2
    }

    It 'refuses a -SystemContext that is not system-scoped, and changes nothing' {
        $projectScoped = Get-VdcContext
        { Set-VdcQuota -Id $t.Id -CatalogPath $QuotaCatalog -Cores 7 -SystemContext $projectScoped -Confirm:$false } |
            Should -Throw -ErrorId 'QuotaInputInvalid,*'
        (Get-OscQuota -Project $t.Id)['compute.cores'] | Should -Be 6
    }

    It 'refuses a compute key the cloud removed, naming the Neutron key to use' {
        Set-VdcQuota -Id $t.Id -CatalogPath $QuotaCatalog -Quota @{ floating_ips = 2 } -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'QuotaResourceNotSupported,*'
        $err[0].Exception.Message | Should -Match 'removed from the compute API in microversion 2.36.*network.floatingip'
    }

    It 'refuses a quota below usage; with -Force sets it, and the CLI shows it' {
        $servers = 1..3 | ForEach-Object {
            @{ project_id = $t.Id; name = "vm-$_"; flavor = @{ name = 'm1.medium'; vcpus = 2; memory_mb = 4096; root_gb = 40; ephemeral_gb = 0 }
                launched_at = '2026-11-01T00:00:00Z'; terminated_at = $null }
        }
        $seed = Join-Path ([IO.Path]::GetTempPath()) "vdcps-sq-$($t.Id).json"
        ConvertTo-Json @($servers) -Depth 5 | Set-Content $seed
        & /usr/bin/python3 (Join-Path $RepoRoot 'tests/lab/seed-usage.py') $seed --month 2026-11 2>$null | Out-Null
        Remove-Item $seed

        Set-VdcQuota -Id $t.Id -CatalogPath $QuotaCatalog -Cores 4 -Instances 2 -ErrorVariable err -ErrorAction SilentlyContinue
        @($err).Count | Should -Be 2
        $err | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'QuotaBelowUsage,*' }
        "$($err.Exception.Message)" | Should -Match 'compute.cores = 4 is below what the tenant uses \(6 in use'

        $rows = Set-VdcQuota -Id $t.Id -CatalogPath $QuotaCatalog -Cores 4 -Instances 2 -Force -PassThru
        ($rows | Where-Object Resource -eq 'cores').InUse | Should -Be 6
        $osc = Get-OscQuota -Project $t.Id
        $osc['compute.cores'] | Should -Be 4
        $osc['compute.instances'] | Should -Be 2
        (Get-VdcQuota -Id $t.Id -CatalogPath $QuotaCatalog -Service compute -Resource cores).InUse | Should -Be 6
    }

    It 'records the change with before and after in the audit journal' {
        $entry = Get-VdcAuditEntry | Where-Object { $_.Action -eq 'Set-VdcQuota' -and $_.Target -eq $t.Name } | Select-Object -Last 1
        $entry.Outcome | Should -Be 'Changed'
        $entry.Before | Should -Match '"compute.cores":6'
        $entry.After | Should -Match '"compute.cores":4'
    }
}

Describe 'Set-VdcQuota is all or nothing across services (fault proxy before the lab)' -Tag Lab {
    BeforeAll {
        Initialize-TestLab -NoCatalog -NoJournal
        $script:t = New-VdcTenant -Name (New-TestTenantName 'sqa') -Plan vdc-small -CustomerId C-SQA
        $faultProxy = Start-FaultProxy
        $script:proxy = $faultProxy.Process; $script:port = $faultProxy.Port; $script:base = $faultProxy.Base
        $cred = [pscredential]::new('admin', (ConvertTo-SecureString 'secret' -AsPlainText -Force))
        $script:viaProxy = Connect-VdcCloud -AuthUrl "$base/identity/v3" -Credential $cred -ProjectName admin -Name sq-proxy -NoSetCurrent -EndpointOverride @{
            compute = "$base/compute/v2.1"; 'block-storage' = "$base/volume/v3/%(project_id)s"; network = "$base/network"
        }
    }
    AfterAll {
        if ($viaProxy) { $viaProxy | Disconnect-VdcCloud -ErrorAction SilentlyContinue }
        if ($proxy) { Stop-Process -Id $proxy.Id -ErrorAction SilentlyContinue }
        Remove-TestProject $t.Name
        Clear-TestLab
    }

    It 'puts Nova and Cinder back when Neutron refuses, and reads every write back with a fresh GET' {
        $rule = @{ method = 'PUT'; path = '^/v2.0/quotas/'; nth = 1; times = 1; action = 'status'; status = 500 }
        Invoke-RestMethod -Method Put "$base/__faults" -ContentType 'application/json' -Body (ConvertTo-Json @($rule)) | Out-Null
        Set-VdcQuota -Id $t.Id -Context $viaProxy -Cores 6 -Volumes 12 -Routers 2 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantOperationFailed,*'
        $err[0].Exception.Message | Should -Match 'Rolled back: .*compute quotas'
        $osc = Get-OscQuota -Project $t.Id
        $osc['compute.cores'] | Should -Be 4 -Because 'Nova was put back'
        $osc['block-storage.volumes'] | Should -Be 10 -Because 'Cinder was put back'
        $osc['network.router'] | Should -Be 1

        Invoke-RestMethod -Method Delete "$base/__faults" | Out-Null
        Invoke-RestMethod -Method Delete "$base/__log" | Out-Null
        Set-VdcQuota -Id $t.Id -Context $viaProxy -Cores 6 -Routers 2 -ErrorAction Stop
        $raw = Invoke-RestMethod "$base/__log"   # one JSON array of "METHOD /path status"
        $lines = [string[]]$raw
        $put = @($lines | Select-String -Pattern '^PUT /v2\.1/os-quota-sets/' | Select-Object -Last 1)
        $put.Count | Should -Be 1 -Because "the proxy saw Nova's quota PUT ($($lines -join '; '))"
        @($lines[$put[0].LineNumber..($lines.Count - 1)] -match "^GET /v2\.1/os-quota-sets/$($t.Id)/detail ").Count | Should -Be 1 -Because 'the value is read back after the write'
        $osc = Get-OscQuota -Project $t.Id
        $osc['compute.cores'] | Should -Be 6
        $osc['network.router'] | Should -Be 2
    }
}

Describe 'Get-VdcQuota and Set-VdcQuota with Keystone unified limits in the lab' -Tag Lab {
    BeforeAll {
        Initialize-TestLab -NoCatalog -NoJournal
        $script:system = Connect-VdcCloud -Cloud vdcps-lab-system -Name sq-system -NoSetCurrent
        $script:t = New-VdcTenant -Name (New-TestTenantName 'squ') -Plan vdc-small -CustomerId C-SQU
        function Invoke-System {
            $out = & openstack --os-cloud vdcps-lab-system @args -f json 2>&1
            if ($LASTEXITCODE -ne 0) { throw "openstack $($args -join ' ') failed: $out" }
            ($out -join "`n") | ConvertFrom-Json
        }
        # Registered limits for compute, as an operator moving to unified limits creates them, with the
        # system-scoped cloud (straight through the API: one request instead of one CLI run each). The
        # lab's Nova keeps its legacy quota driver, so they change nothing there; they are removed afterwards.
        $token = Invoke-System token issue
        $script:keystone = @{ Uri = 'http://127.0.0.1:5000/v3'; Headers = @{ 'X-Auth-Token' = $token.id } }
        $nova = (Invoke-RestMethod "$($keystone.Uri)/services?type=compute" -Headers $keystone.Headers).services[0].id
        $body = @{ registered_limits = @(
                @{ service_id = $nova; region_id = 'RegionOne'; resource_name = 'class:VCPU'; default_limit = 20 }
                @{ service_id = $nova; region_id = 'RegionOne'; resource_name = 'class:MEMORY_MB'; default_limit = 51200 }
                @{ service_id = $nova; region_id = 'RegionOne'; resource_name = 'servers'; default_limit = 10 }) } | ConvertTo-Json -Depth 4
        $script:registered = (Invoke-RestMethod -Method Post "$($keystone.Uri)/registered_limits" -Headers $keystone.Headers -ContentType 'application/json' -Body $body).registered_limits
        $body = @{ limits = @(@{ project_id = $t.Id; service_id = $nova; region_id = 'RegionOne'; resource_name = 'class:VCPU'; resource_limit = 7 }) } | ConvertTo-Json -Depth 4
        $null = Invoke-RestMethod -Method Post "$($keystone.Uri)/limits" -Headers $keystone.Headers -ContentType 'application/json' -Body $body
    }
    AfterAll {
        $own = (Invoke-RestMethod "$($keystone.Uri)/limits?project_id=$($t.Id)" -Headers $keystone.Headers).limits
        foreach ($l in @($own) + @($registered)) {
            $kind = if ($l.PSObject.Properties.Name -contains 'default_limit') { 'registered_limits' } else { 'limits' }
            if ($l) { Invoke-RestMethod -Method Delete "$($keystone.Uri)/$kind/$($l.id)" -Headers $keystone.Headers -ErrorAction SilentlyContinue | Out-Null }
        }
        Remove-TestProject $t.Name
        Clear-TestLab
    }

    It 'Get-VdcQuota reports the project limits with Source keystone-unified-limits, as openstack limit list does' {
        $rows = @(Get-VdcQuota -Id $t.Id -Service compute -SystemContext $system)
        $keystone = @($rows | Where-Object Source -eq 'keystone-unified-limits')
        ($keystone.Resource | Sort-Object) | Should -Be @('class:MEMORY_MB', 'class:VCPU', 'servers')
        $vcpu = $keystone | Where-Object Resource -eq 'class:VCPU'
        $vcpu.Limit | Should -Be 7
        $vcpu.PlanRange | Should -Be '2..8' -Because 'class:VCPU takes the bounds of compute.cores'
        $ram = $keystone | Where-Object Resource -eq 'class:MEMORY_MB'
        $ram.Limit | Should -Be 51200 -Because 'no project limit: the registered default applies'
        $ram.OutOfPlan | Should -BeTrue
        $oracle = @(Invoke-System limit list --project $t.Id)
        ($oracle | Where-Object 'Resource Name' -eq 'class:VCPU').'Resource Limit' | Should -Be 7
        ($rows | Where-Object { $_.Source -eq 'service' -and $_.Resource -eq 'cores' }).Limit | Should -Be 4
    }

    It 'Get-VdcQuota warns and reads the services only without a system-scoped connection' {
        $rows = @(Get-VdcQuota -Id $t.Id -Service compute -WarningVariable warn -WarningAction SilentlyContinue)
        $rows | Where-Object Source -ne 'service' | Should -BeNullOrEmpty
        "$warn" | Should -Match 'system-scoped'
    }

    It 'Set-VdcQuota writes Nova and the Keystone project limits, which openstack limit list shows' {
        $rows = @(Set-VdcQuota -Id $t.Id -Cores 6 -RamMB 12288 -Instances 4 -SystemContext $system -PassThru)
        ($rows | Where-Object Source -eq 'keystone-unified-limits' | ForEach-Object { "$($_.Resource)=$($_.Limit)" } | Sort-Object) |
            Should -Be @('class:MEMORY_MB=12288', 'class:VCPU=6', 'servers=4')
        $oracle = @(Invoke-System limit list --project $t.Id)
        ($oracle | Where-Object 'Resource Name' -eq 'class:VCPU').'Resource Limit' | Should -Be 6 -Because 'the existing project limit was updated'
        ($oracle | Where-Object 'Resource Name' -eq 'class:MEMORY_MB').'Resource Limit' | Should -Be 12288 -Because 'a project limit was created'
        ($oracle | Where-Object 'Resource Name' -eq 'servers').'Resource Limit' | Should -Be 4
        $osc = Get-OscQuota -Project $t.Id
        $osc['compute.cores'] | Should -Be 6
        $osc['compute.ram'] | Should -Be 12288
        $osc['compute.instances'] | Should -Be 4
    }

    It 'Set-VdcQuota without a system-scoped connection writes Nova only and says so' {
        Set-VdcQuota -Id $t.Id -Cores 5 -WarningVariable warn -WarningAction SilentlyContinue
        "$warn" | Should -Match 'class:VCPU.*system-scoped'
        (Get-OscQuota -Project $t.Id)['compute.cores'] | Should -Be 5
        (@(Invoke-System limit list --project $t.Id) | Where-Object 'Resource Name' -eq 'class:VCPU').'Resource Limit' | Should -Be 6
    }
}
