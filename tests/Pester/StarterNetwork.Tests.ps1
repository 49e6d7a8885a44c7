# The plan's starter network (issue 18): New-VdcTenant makes network, subnet, router (gateway on the
# lab's external network `public`) and default-group rules inside its rollback; the customer, with the
# credential New-VdcTenant returns, gets a port on it and a floating IP from `public` with no other
# step. The openstack CLI is the oracle throughout.
#
# Why a port and not a server: the lab's ML2 has no mechanism driver that binds a port without an L2
# agent, so a server cannot be booted onto a network (tests/lab/NOTES.md, "Network: none"). Neutron
# associates a floating IP with an unbound port when a router connects its subnet to the external
# network - exactly what the starter network has to provide - so the customer creates the port itself.
BeforeDiscovery {
    $script:StarterSteps = @(
        @{ Step = 'create network'; Method = 'POST'; Path = '^/v2.0/networks$' }
        @{ Step = 'create subnet'; Method = 'POST'; Path = '^/v2.0/subnets$' }
        @{ Step = 'create router'; Method = 'POST'; Path = '^/v2.0/routers$' }
        @{ Step = 'add router interface'; Method = 'PUT'; Path = '^/v2.0/routers/[^/]+/add_router_interface$' }
        @{ Step = 'add the second rule'; Method = 'POST'; Path = '^/v2.0/security-group-rules$'; Nth = 2 }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Catalog = Join-Path $TestDrive 'plans.yaml'
    @'
api_version: vdcps/v1
currency: EUR
role: member
plans:
  vdc-ready:
    prices: {monthly_fee: 99.00}
    quotas:
      compute: {cores: {default: 4, min: 2, max: 8}}
      network:
        network: {default: 2, min: 1, max: 5}
        subnet: {default: 2, min: 1, max: 5}
        port: {default: 20, min: 10, max: 50}
        router: {default: 1, min: 1, max: 2}
        floatingip: {default: 2, min: 1, max: 3}
        security_group_rule: {default: 50, min: 20, max: 100}
    starter_network:
      cidr: 10.42.0.0/24
      dns_servers: [9.9.9.9, 1.1.1.1]
      external_network: public
      security_group_rules:
        - {protocol: tcp, ports: 22, remote_ip_prefix: 0.0.0.0/0}
        - {protocol: icmp}
'@ | Set-Content -Path $Catalog -Encoding utf8
    Initialize-TestLab -Catalog $Catalog
    $script:Public = Invoke-OpenStack network show public

    function Get-ProjectNetworkParts([string] $ProjectId) {
        # The oracle's whole-cloud lists (admin), filtered by project ID: works after the project is gone too.
        [pscustomobject]@{
            Networks = @(Invoke-OpenStack network list --long | Where-Object Project -eq $ProjectId)
            Subnets  = @(Invoke-OpenStack subnet list --long | Where-Object Project -eq $ProjectId)
            Routers  = @(Invoke-OpenStack router list --long | Where-Object Project -eq $ProjectId)
            Groups   = @(Invoke-OpenStack security group list | Where-Object Project -eq $ProjectId)
        }
    }

    function Get-NetworkPartOwner {
        # The oracle: every project ID (one column) and every network, subnet, router and security group
        # as "ID Project" (two columns).
        $lines = Invoke-OpenStackBatch @('project list -f value -c ID', 'network list --long -f value -c ID -c Project', 'subnet list --long -f value -c ID -c Project',
            'router list --long -f value -c ID -c Project', 'security group list -f value -c ID -c Project')
        $projects = [System.Collections.Generic.HashSet[string]]::new()
        $parts = foreach ($line in $lines) {
            $f = "$line".Trim() -split '\s+'
            if ($f.Count -eq 1 -and $f[0]) { [void]$projects.Add($f[0]) }
            elseif ($f.Count -eq 2) { [pscustomobject]@{ Id = $f[0]; Project = $f[1] } }
        }
        [pscustomobject]@{ Projects = $projects; Parts = @($parts) }
    }

    function Remove-StarterTenant([string] $Name) {
        # termination keeps the (renamed) project for the last invoice: purge it by its ID afterwards
        $t = Get-VdcTenant -Name $Name -ErrorAction SilentlyContinue
        if ($t) {
            Remove-VdcTenant -Id $t.Id -Force -Confirm:$false -ErrorAction SilentlyContinue
            Remove-VdcTenant -Id $t.Id -Purge -Force -Confirm:$false -ErrorAction SilentlyContinue
        }
        Remove-TestProject $Name
    }
}

AfterAll {
    Get-VdcContext -ListAvailable | Disconnect-VdcCloud -ErrorAction SilentlyContinue
    Clear-TestLab
}

Describe 'New-VdcTenant with a starter network' -Tag Lab {
    BeforeAll {
        $script:name = New-TestTenantName 'starter'
        $script:password = New-TestSecret
        $script:t = New-VdcTenant -Name $name -Plan vdc-ready -CustomerId C-STARTER -Password (ConvertTo-SecureString $password -AsPlainText -Force)
        $script:parts = Get-ProjectNetworkParts $t.Id
    }
    AfterAll { Remove-StarterTenant $name }

    It 'makes the network and the subnet with the plan''s CIDR, gateway and DNS servers' {
        $parts.Networks.Count | Should -Be 1
        $parts.Networks[0].Name | Should -Be 'vdc-network'
        $parts.Subnets.Count | Should -Be 1
        $subnet = Invoke-OpenStack subnet show $parts.Subnets[0].ID
        $subnet.name | Should -Be 'vdc-subnet'
        $subnet.cidr | Should -Be '10.42.0.0/24'
        $subnet.gateway_ip | Should -Be '10.42.0.1'
        @($subnet.dns_nameservers) | Should -Be @('9.9.9.9', '1.1.1.1')
        $subnet.network_id | Should -Be $parts.Networks[0].ID
    }

    It 'makes the router with its gateway on public and an interface on the subnet' {
        $parts.Routers.Count | Should -Be 1
        $router = Invoke-OpenStack router show $parts.Routers[0].ID
        $router.name | Should -Be 'vdc-router'
        $router.external_gateway_info.network_id | Should -Be $Public.id
        $router.external_gateway_info.external_fixed_ips[0].ip_address | Should -BeLike '203.0.113.*'
        @($router.interfaces_info).subnet_id | Should -Be @($parts.Subnets[0].ID)
        @($router.interfaces_info).ip_address | Should -Be @('10.42.0.1')
    }

    It 'adds the plan''s rules to the default security group' {
        $parts.Groups.Count | Should -Be 1
        $parts.Groups[0].Name | Should -Be 'default'
        $rules = @(Invoke-OpenStack security group rule list $parts.Groups[0].ID)
        $ssh = @($rules | Where-Object { $_.'IP Protocol' -eq 'tcp' -and $_.'Port Range' -eq '22:22' -and $_.Direction -eq 'ingress' })
        $ssh.Count | Should -Be 1
        $ssh[0].'IP Range' | Should -Be '0.0.0.0/0'
        @($rules | Where-Object { $_.'IP Protocol' -eq 'icmp' -and $_.Direction -eq 'ingress' }).Count | Should -Be 1
    }

    It 'the customer (the tenant''s own user) gets a port on the starter network and a floating IP from public' {
        $t.Credential.UserName | Should -Be $name
        $customer = @('--os-auth-url', 'http://127.0.0.1:5000/v3', '--os-identity-api-version', '3',
            '--os-username', $name, '--os-password', $t.Credential.GetNetworkCredential().Password,
            '--os-user-domain-id', 'default', '--os-project-id', $t.Id, '--os-region-name', 'RegionOne')
        $env:OS_CLOUD = $null
        $port = & openstack @customer port create --network vdc-network "web-$name" -f json 2>&1
        $LASTEXITCODE | Should -Be 0 -Because "$port"
        $port = ($port -join "`n") | ConvertFrom-Json
        $fip = & openstack @customer floating ip create public --port $port.id -f json 2>&1
        $LASTEXITCODE | Should -Be 0 -Because "$fip"
        $fip = ($fip -join "`n") | ConvertFrom-Json

        # the admin's independent view
        $seen = Invoke-OpenStack floating ip show $fip.id
        $seen.port_id | Should -Be $port.id
        $seen.floating_ip_address | Should -BeLike '203.0.113.*'
        $seen.fixed_ip_address | Should -BeLike '10.42.0.*'
        $seen.project_id | Should -Be $t.Id
        $seen.router_id | Should -Be $parts.Routers[0].ID
    }

    It 'a rerun changes nothing' {
        $again = New-VdcTenant -Name $name -Plan vdc-ready -CustomerId C-STARTER -WarningVariable warn -WarningAction SilentlyContinue
        $again.Id | Should -Be $t.Id
        $warn | Should -Match 'nothing was changed'
        $now = Get-ProjectNetworkParts $t.Id
        $now.Networks.ID | Should -Be $parts.Networks.ID
        $now.Subnets.ID | Should -Be $parts.Subnets.ID
        $now.Routers.ID | Should -Be $parts.Routers.ID
    }

    It 'Get-VdcPlan and Test-VdcPlan no longer warn that the network is not created' {
        (Test-VdcPlan -CatalogPath $Catalog).Rule | Should -Not -Contain 'StarterNetworkNotCreated'
        (Get-VdcPlan vdc-ready).StarterNetwork | Should -BeLike 'vdc-network 10.42.0.0/24 via public*'
    }
}

Describe 'New-VdcTenant: an external network the cloud does not have' -Tag Lab {
    It 'is ExternalNetworkNotFound, and nothing is left' {
        $bad = Join-Path $TestDrive 'bad.yaml'
        (Get-Content $Catalog -Raw).Replace('external_network: public', 'external_network: no-such-net') | Set-Content $bad
        $name = New-TestTenantName 'starter'
        try {
            New-VdcTenant -Name $name -Plan vdc-ready -CustomerId C-STARTER -CatalogPath $bad -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -BeLike 'ExternalNetworkNotFound,*'
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            & openstack --os-cloud vdcps-lab project show $name 2>&1 | Out-Null
            $LASTEXITCODE | Should -Not -Be 0 -Because 'the project was rolled back'
        }
        finally { Remove-StarterTenant $name }
    }
}

Describe 'New-VdcTenant: a fault at each starter network step' -Tag Lab {
    BeforeAll {
        $env:VDCPS_RETRY_DELAY_MS = '10'
        $faultProxy = Start-FaultProxy
        $script:proxy = $faultProxy.Process; $script:base = $faultProxy.Base
        $cred = [pscredential]::new('admin', (ConvertTo-SecureString 'secret' -AsPlainText -Force))
        Connect-VdcCloud -AuthUrl "$base/identity/v3" -Credential $cred -ProjectName admin -Name starter-proxy -EndpointOverride @{
            compute = "$base/compute/v2.1"; 'block-storage' = "$base/volume/v3/%(project_id)s"; network = "$base/network"
        } | Out-Null
    }
    AfterAll {
        if ($proxy) { Stop-Process -Id $proxy.Id -ErrorAction SilentlyContinue }
        $env:VDCPS_RETRY_DELAY_MS = $null
    }

    It 'HTTP 500 at "<Step>": no project, network, subnet, router or group is left; a rerun completes' -ForEach $StarterSteps {
        $name = New-TestTenantName 'sfault'
        $nth = if ($Nth) { $Nth } else { 1 }
        try {
            Invoke-RestMethod -Method Delete "$base/__log" | Out-Null
            $rule = @{ method = $Method; path = $Path; nth = $nth; times = 6; action = 'status'; status = 500 }
            Invoke-RestMethod -Method Put "$base/__faults" -ContentType 'application/json' -Body (ConvertTo-Json @($rule)) | Out-Null
            New-VdcTenant -Name $name -Plan vdc-ready -CustomerId C-SFAULT -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            @(Invoke-RestMethod "$base/__faults")[0].fired | Should -BeGreaterThan 0 -Because 'the fault was met'
            Invoke-RestMethod -Method Delete "$base/__faults" | Out-Null
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantOperationFailed,*'
            $err[0].Exception.Message | Should -Match 'Creating the starter network failed'
            $err[0].Exception.Message | Should -Not -Match 'COULD NOT roll back'

            & openstack --os-cloud vdcps-lab project show $name 2>&1 | Out-Null
            $LASTEXITCODE | Should -Not -Be 0 -Because 'the project was rolled back'
            # nothing of the tenant in Neutron: the rolled-back project's ID is in the proxy's log (its quota writes)
            $projectId = @((Invoke-RestMethod "$base/__log") | ForEach-Object { if ("$_" -match '/v2\.0/quotas/([0-9a-f]{32})') { $Matches[1] } }) | Select-Object -First 1
            $projectId | Should -Not -BeNullOrEmpty -Because 'the run reached the quotas before the starter network'
            $left = @((Get-NetworkPartOwner).Parts | Where-Object Project -eq $projectId)
            $left | Should -BeNullOrEmpty -Because 'no network part of a rolled-back tenant stays'

            $t = New-VdcTenant -Name $name -Plan vdc-ready -CustomerId C-SFAULT
            $t.State | Should -Be 'Active'
            # network, subnet, router and default group: four parts of the new project
            @((Get-NetworkPartOwner).Parts | Where-Object Project -eq $t.Id).Count | Should -Be 4
        }
        finally {
            Invoke-RestMethod -Method Delete "$base/__faults" -ErrorAction SilentlyContinue | Out-Null
            Remove-StarterTenant $name
        }
    }
}
