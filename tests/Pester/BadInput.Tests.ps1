#pester-serial: compares the whole cloud's project and user lists before and after its table
# A table of bad inputs: each gets a categorized error with a stable id, and nothing changes in the
# cloud (the openstack CLI sees the same projects and users before and after the whole table).
BeforeDiscovery {
    $script:Cases = @(
        # --- connection
        @{ Case = 'unknown cloud name'; Id = 'CloudNotFound'; Run = { Connect-VdcCloud -Cloud no-such-cloud } }
        @{ Case = 'broken clouds.yaml'; Id = 'CloudConfigInvalid'; Run = { $env:OS_CLIENT_CONFIG_FILE = $BrokenClouds; try { Connect-VdcCloud -Cloud x } finally { $env:OS_CLIENT_CONFIG_FILE = $LabClouds } } }
        @{ Case = 'wrong password'; Id = 'AuthenticationFailed'; Run = { Connect-VdcCloud -AuthUrl $AuthUrl -Credential ([pscredential]::new('admin', (ConvertTo-SecureString 'wrong-password' -AsPlainText -Force))) -ProjectName admin } }
        @{ Case = 'unknown user'; Id = 'AuthenticationFailed'; Run = { Connect-VdcCloud -AuthUrl $AuthUrl -Credential ([pscredential]::new('nobody-here', (ConvertTo-SecureString 'x' -AsPlainText -Force))) -ProjectName admin } }
        @{ Case = 'unreachable auth URL'; Id = 'ServiceUnreachable'; Run = { Connect-VdcCloud -AuthUrl http://127.0.0.1:1/v3 -Credential $AdminCred -ProjectName admin -TimeoutSec 2 } }
        @{ Case = 'project and system scope at once'; Id = 'AuthOptionsInvalid'; Run = { Connect-VdcCloud -AuthUrl $AuthUrl -Credential $AdminCred -ProjectName admin -System } }
        @{ Case = 'an ftp auth URL'; Id = 'AuthOptionsInvalid'; Run = { Connect-VdcCloud -AuthUrl ftp://127.0.0.1/v3 -Credential $AdminCred } }
        @{ Case = 'a Keystone v2.0 auth URL'; Id = 'AuthOptionsInvalid'; Run = { Connect-VdcCloud -AuthUrl http://127.0.0.1:5000/v2.0 -Credential $AdminCred -ProjectName admin } }
        @{ Case = 'application credential name without its user'; Id = 'AuthOptionsInvalid'; Run = { Connect-VdcCloud -AuthUrl $AuthUrl -ApplicationCredentialName x -ApplicationCredentialSecret (ConvertTo-SecureString 's' -AsPlainText -Force) } }
        @{ Case = 'a CA file that does not exist'; Id = 'AuthOptionsInvalid'; Run = { Connect-VdcCloud -AuthUrl $AuthUrl -Credential $AdminCred -CaCertificatePath ./no-such-ca.pem } }
        @{ Case = 'an empty token'; Id = 'AuthOptionsInvalid'; Run = { Connect-VdcCloud -AuthUrl $AuthUrl -Token ([securestring]::new()) } }
        @{ Case = 'disconnect an unknown context'; Id = 'ContextNotFound'; Run = { Disconnect-VdcCloud -Name no-such-context } }
        @{ Case = 'get an unknown context'; Id = 'ContextNotFound'; Run = { Get-VdcContext -Name no-such-context } }
        # --- plans
        @{ Case = 'unknown plan name'; Id = 'PlanNotFound'; Run = { Get-VdcPlan -Name no-such-plan } }
        @{ Case = 'catalog path that does not exist'; Id = 'PlanCatalogNotFound'; Run = { Get-VdcPlan -CatalogPath ./no-such-catalog.yaml } }
        @{ Case = 'catalog with min above max'; Id = 'PlanCatalogInvalid'; Run = { Get-VdcPlan -CatalogPath $BrokenCatalog } }
        @{ Case = 'catalog that is not YAML'; Id = 'PlanCatalogInvalid'; Run = { Get-VdcPlan -CatalogPath $NotYamlCatalog } }
        # --- new tenant
        @{ Case = 'tenant name with a space'; Id = 'TenantInputInvalid'; Run = { New-VdcTenant -Name 'bad name' -Plan vdc-small -CustomerId C1 } }
        @{ Case = 'tenant name of 65 characters'; Id = 'TenantInputInvalid'; Run = { New-VdcTenant -Name ('a' * 65) -Plan vdc-small -CustomerId C1 } }
        @{ Case = 'tenant name starting with a dash'; Id = 'TenantInputInvalid'; Run = { New-VdcTenant -Name '-acme' -Plan vdc-small -CustomerId C1 } }
        @{ Case = 'tenant name with a slash'; Id = 'TenantInputInvalid'; Run = { New-VdcTenant -Name 'acme/prod' -Plan vdc-small -CustomerId C1 } }
        @{ Case = 'tenant name with non-ASCII letters'; Id = 'TenantInputInvalid'; Run = { New-VdcTenant -Name 'müller' -Plan vdc-small -CustomerId C1 } }
        @{ Case = 'user name with a space'; Id = 'TenantInputInvalid'; Run = { New-VdcTenant -Name ok-name -UserName 'bad user' -Plan vdc-small -CustomerId C1 } }
        @{ Case = 'unknown plan for a tenant'; Id = 'PlanNotFound'; Run = { New-VdcTenant -Name ok-name -Plan no-such-plan -CustomerId C1 } }
        @{ Case = 'quota above the plan maximum'; Id = 'QuotaOutOfPlan'; Run = { New-VdcTenant -Name ok-name -Plan vdc-small -CustomerId C1 -Quota @{ cores = 9999 } } }
        @{ Case = 'quota below the plan minimum'; Id = 'QuotaOutOfPlan'; Run = { New-VdcTenant -Name ok-name -Plan vdc-small -CustomerId C1 -Quota @{ cores = 1 } } }
        @{ Case = 'negative quota'; Id = 'QuotaOutOfPlan'; Run = { New-VdcTenant -Name ok-name -Plan vdc-small -CustomerId C1 -Quota @{ ram = -42 } } }
        @{ Case = 'unlimited quota the plan does not allow'; Id = 'QuotaOutOfPlan'; Run = { New-VdcTenant -Name ok-name -Plan vdc-small -CustomerId C1 -Quota @{ instances = -1 } } }
        @{ Case = 'unknown quota'; Id = 'QuotaOutOfPlan'; Run = { New-VdcTenant -Name ok-name -Plan vdc-small -CustomerId C1 -Quota @{ warp_drives = 1 } } }
        @{ Case = 'quota of an unknown service'; Id = 'QuotaOutOfPlan'; Run = { New-VdcTenant -Name ok-name -Plan vdc-small -CustomerId C1 -Quota @{ 'dns.zones' = 1 } } }
        @{ Case = 'quota that is not a number'; Id = 'QuotaOutOfPlan'; Run = { New-VdcTenant -Name ok-name -Plan vdc-small -CustomerId C1 -Quota @{ cores = 'lots' } } }
        @{ Case = 'bad e-mail address'; Id = 'TenantInputInvalid'; Run = { New-VdcTenant -Name ok-name -Plan vdc-small -CustomerId C1 -Email 'not-an-address' } }
        @{ Case = 'bad customer id'; Id = 'TenantInputInvalid'; Run = { New-VdcTenant -Name ok-name -Plan vdc-small -CustomerId 'C 1 !' } }
        @{ Case = 'activation in the future'; Id = 'TenantInputInvalid'; Run = { New-VdcTenant -Name ok-name -Plan vdc-small -CustomerId C1 -ActivatedAt ([datetime]::UtcNow.AddDays(3)) } }
        @{ Case = 'empty name from the pipeline'; Id = 'ParameterArgumentValidationError'; Run = { [pscustomobject]@{ Name = ''; Plan = 'vdc-small'; CustomerId = 'C1' } | New-VdcTenant } }
        @{ Case = 'duplicate tenants in one CSV'; Id = 'TenantInputInvalid'; Run = { $row = [pscustomobject]@{ Name = $Existing.Name; Plan = 'vdc-small'; CustomerId = $Existing.CustomerId }; @($row, $row) | New-VdcTenant -WarningAction SilentlyContinue } }
        @{ Case = 'a name taken by a project VdcPS did not create'; Id = 'TenantNameTaken'; Run = { New-VdcTenant -Name admin -Plan vdc-small -CustomerId C1 } }
        @{ Case = 'a name taken by another customer'; Id = 'TenantNameTaken'; Run = { New-VdcTenant -Name $Existing.Name -Plan vdc-small -CustomerId OTHER-CUSTOMER } }
        @{ Case = 'the same tenant on another plan'; Id = 'TenantExists'; Run = { New-VdcTenant -Name $Existing.Name -Plan vdc-large -CustomerId $Existing.CustomerId } }
        # --- existing tenants
        @{ Case = 'get a tenant that does not exist'; Id = 'TenantNotFound'; Run = { Get-VdcTenant -Name no-such-tenant } }
        @{ Case = 'get a tenant id that does not exist'; Id = 'TenantNotFound'; Run = { Get-VdcTenant -Id 00000000000000000000000000000000 } }
        @{ Case = 'set with nothing to change'; Id = 'TenantInputInvalid'; Run = { Set-VdcTenant -Name $Existing.Name } }
        @{ Case = 'set an unknown plan'; Id = 'PlanNotFound'; Run = { Set-VdcTenant -Name $Existing.Name -Plan no-such-plan } }
        @{ Case = 'set a project VdcPS did not create'; Id = 'TenantNotManaged'; Run = { Set-VdcTenant -Name admin -Description x } }
        @{ Case = 'suspend a tenant that does not exist'; Id = 'TenantNotFound'; Run = { Suspend-VdcTenant -Name no-such-tenant } }
        @{ Case = 'suspend a tenant that is still provisioning'; Id = 'TenantStateInvalid'; Run = { Suspend-VdcTenant -Name $Provisioning } }
        @{ Case = 'resume a tenant that is still provisioning'; Id = 'TenantStateInvalid'; Run = { Resume-VdcTenant -Name $Provisioning } }
        @{ Case = 'remove a project VdcPS did not create'; Id = 'TenantNotManaged'; Run = { Remove-VdcTenant -Name admin -Confirm:$false } }
        @{ Case = 'remove a tenant that does not exist'; Id = 'TenantNotFound'; Run = { Remove-VdcTenant -Name no-such-tenant -Confirm:$false } }
        @{ Case = 'audit journal that does not exist'; Id = 'JournalNotFound'; Run = { Get-VdcAuditEntry -Path ./no-such-journal.jsonl } }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    Initialize-TestLab
    $script:AuthUrl = 'http://127.0.0.1:5000/v3'
    $script:AdminCred = [pscredential]::new('admin', (ConvertTo-SecureString 'secret' -AsPlainText -Force))
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "vdcps-bad-$([guid]::NewGuid())"
    New-Item -ItemType Directory $work | Out-Null
    $script:BrokenClouds = Join-Path $work 'clouds.yaml'
    Set-Content $BrokenClouds "clouds:`n  x:`n    auth: [unclosed`n"
    $script:BrokenCatalog = Join-Path $work 'plans.yaml'
    (Get-Content -Raw $SampleCatalog) -replace 'cores:\s+\{default: 4,\s+min: 2,\s+max: 8\}', 'cores: {default: 4, min: 9, max: 8}' | Set-Content $BrokenCatalog
    $script:NotYamlCatalog = Join-Path $work 'not-yaml.yaml'
    Set-Content $NotYamlCatalog "plans: {vdc-small: [unclosed`n"

    $script:Existing = New-VdcTenant -Name (New-TestTenantName 'bad') -Plan vdc-small -CustomerId C-BAD
    # a tenant left "provisioning" by a crashed run
    $script:Provisioning = New-TestTenantName 'bad'
    Invoke-OpenStackRaw project create --domain default --property vdcps_plan=vdc-small --property vdcps_customer=C-BAD --property vdcps_state=provisioning $Provisioning | Out-Null

    $script:ProjectsBefore = (Invoke-OpenStack project list --long | ForEach-Object { "$($_.Name)|$($_.Enabled)" } | Sort-Object) -join ','
    $script:UsersBefore = (Invoke-OpenStack user list --long | ForEach-Object { "$($_.Name)|$($_.Enabled)" } | Sort-Object) -join ','
    $script:QuotaBefore = Get-OscQuota -Project $Existing.Id
}

AfterAll {
    Remove-TestProject $Existing.Name
    Remove-TestProject $Provisioning
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
    Clear-TestLab
}

Describe 'Bad input' -Tag Lab {
    It 'there are at least 40 cases' {
        $Cases.Count | Should -BeGreaterOrEqual 40
    }

    It '<Case> -> <Id>' -ForEach $Cases {
        # non-terminating errors arrive through 2>&1, terminating ones through catch
        $records = [System.Collections.Generic.List[System.Management.Automation.ErrorRecord]]::new()
        try {
            & $Run 2>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { $records.Add($_) } }
        }
        catch {
            $records.Add($_)
        }
        $records.Count | Should -BeGreaterThan 0 -Because 'bad input must produce an error'
        $records[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $records[0].CategoryInfo.Category | Should -Not -Be 'NotSpecified'
        $records[0].Exception.Message | Should -Not -BeNullOrEmpty
    }

    It 'nothing changed in the cloud' {
        (Invoke-OpenStack project list --long | ForEach-Object { "$($_.Name)|$($_.Enabled)" } | Sort-Object) -join ',' | Should -Be $ProjectsBefore
        (Invoke-OpenStack user list --long | ForEach-Object { "$($_.Name)|$($_.Enabled)" } | Sort-Object) -join ',' | Should -Be $UsersBefore
        $after = Get-OscQuota -Project $Existing.Id
        foreach ($k in $QuotaBefore.Keys) { $after[$k] | Should -Be $QuotaBefore[$k] -Because $k }
    }
}
