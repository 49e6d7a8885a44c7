BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
}

Describe 'Connect-VdcCloud parameter contract' -Tag Unit {
    It 'has the four parameter sets, Cloud being the default' {
        $command = Get-Command Connect-VdcCloud
        $command.ParameterSets.Name | Sort-Object | Should -Be @('ApplicationCredential', 'Cloud', 'Password', 'Token')
        $command.DefaultParameterSet | Should -Be 'Cloud'
    }

    It 'takes secrets only as PSCredential or SecureString' {
        $p = (Get-Command Connect-VdcCloud).Parameters
        $p.Credential.ParameterType | Should -Be ([pscredential])
        $p.Token.ParameterType | Should -Be ([securestring])
        $p.ApplicationCredentialSecret.ParameterType | Should -Be ([securestring])
        $p.Keys | Should -Not -Contain 'Password'
    }

    It 'supports -WhatIf and changes nothing with it' {
        $env:OS_CLIENT_CONFIG_FILE = $null
        $before = @(Get-VdcContext -ListAvailable).Name
        $current = (Get-VdcContext).Name
        Connect-VdcCloud -AuthUrl http://127.0.0.1:1/v3 -Credential ([pscredential]::new('u', (ConvertTo-SecureString 'x' -AsPlainText -Force))) -WhatIf | Should -BeNullOrEmpty
        @(Get-VdcContext -ListAvailable).Name | Should -Be $before
        (Get-VdcContext).Name | Should -Be $current
    }

    It 'completes cloud names from clouds.yaml' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("vdcps-" + [guid]::NewGuid())
        New-Item -ItemType Directory $dir | Out-Null
        try {
            Set-Content (Join-Path $dir 'clouds.yaml') "clouds:`n  alpha-east:`n    auth: {auth_url: 'http://127.0.0.1:1/v3'}`n  alpha-west:`n    auth: {auth_url: 'http://127.0.0.1:1/v3'}`n  beta:`n    auth: {auth_url: 'http://127.0.0.1:1/v3'}`n"
            $env:OS_CLIENT_CONFIG_FILE = Join-Path $dir 'clouds.yaml'
            $line = 'Connect-VdcCloud -Cloud alp'
            $result = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null)
            $result.CompletionMatches.CompletionText | Should -Be @('alpha-east', 'alpha-west')
        }
        finally {
            $env:OS_CLIENT_CONFIG_FILE = $null
            Remove-Item -Recurse -Force $dir
        }
    }
}

Describe 'Connect-VdcCloud errors' -Tag Unit {
    BeforeAll {
        $script:dir = Join-Path ([IO.Path]::GetTempPath()) ("vdcps-" + [guid]::NewGuid())
        New-Item -ItemType Directory $dir | Out-Null
        Set-Content (Join-Path $dir 'clouds.yaml') "clouds:`n  nowhere:`n    auth:`n      auth_url: http://127.0.0.1:1/v3`n      username: u`n      password: p`n      project_name: p`n      user_domain_name: Default`n      project_domain_name: Default`n"
        $script:saved = $env:OS_CLIENT_CONFIG_FILE
        $env:OS_CLIENT_CONFIG_FILE = Join-Path $dir 'clouds.yaml'
    }
    AfterAll {
        $env:OS_CLIENT_CONFIG_FILE = $saved
        Remove-Item -Recurse -Force $dir
    }

    It 'an unknown cloud name is CloudNotFound and lists the known clouds' {
        $e = { Connect-VdcCloud -Cloud does-not-exist } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'CloudNotFound,*'
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e.Exception.Message | Should -Match 'nowhere'
    }

    It 'an unreachable auth URL is ServiceUnreachable (ConnectionError)' {
        $e = { Connect-VdcCloud -Cloud nowhere -TimeoutSec 2 } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'ServiceUnreachable,*'
        $e.CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'a broken clouds.yaml is CloudConfigInvalid with file and line' {
        Set-Content (Join-Path $dir 'broken.yaml') "clouds:`n  x:`n    auth: [unclosed`n"
        $env:OS_CLIENT_CONFIG_FILE = Join-Path $dir 'broken.yaml'
        try {
            $e = { Connect-VdcCloud -Cloud x } | Should -Throw -PassThru
            $e.FullyQualifiedErrorId | Should -BeLike 'CloudConfigInvalid,*'
            $e.Exception.Message | Should -Match 'broken.yaml'
            $e.Exception.Line | Should -BeGreaterThan 0
        }
        finally { $env:OS_CLIENT_CONFIG_FILE = Join-Path $dir 'clouds.yaml' }
    }

    It 'two scopes at once are AuthOptionsInvalid before any request' {
        $cred = [pscredential]::new('u', (ConvertTo-SecureString 'x' -AsPlainText -Force))
        $e = { Connect-VdcCloud -AuthUrl http://127.0.0.1:1/v3 -Credential $cred -ProjectName p -System } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'AuthOptionsInvalid,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}

Describe 'Connect-VdcCloud against a web server that is not Keystone' -Tag Unit {
    BeforeAll {
        # A tiny local HTTP server that answers every GET and POST with HTTP 200 and an HTML page
        # (what a wrong port, a dashboard or a captive portal does).
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $script:port = $listener.LocalEndpoint.Port; $listener.Stop()
        $py = @'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n: self.rfile.read(n)
        body = b"<!DOCTYPE html><html><head><title>Welcome</title></head><body>It works</body></html>"
        self.send_response(200); self.send_header("Content-Type", "text/html"); self.send_header("Content-Length", str(len(body))); self.end_headers()
        self.wfile.write(body)
    do_GET = do_POST = answer
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
'@
        $script:pyFile = Join-Path ([IO.Path]::GetTempPath()) "vdcps-web-$port.py"
        Set-Content -LiteralPath $pyFile -Value $py
        $script:web = Start-Process -FilePath /usr/bin/python3 -ArgumentList @($pyFile, $port) -PassThru
        $up = $false
        foreach ($i in 1..50) { try { Invoke-WebRequest "http://127.0.0.1:$port/" -TimeoutSec 2 | Out-Null; $up = $true; break } catch { Start-Sleep -Milliseconds 100 } }
        if (-not $up) { throw "the local web server on port $port did not start" }
        $script:cred = [pscredential]::new('u', (ConvertTo-SecureString 'x' -AsPlainText -Force))
    }
    AfterAll {
        if ($web) { Stop-Process -Id $web.Id -ErrorAction SilentlyContinue }
        if ($pyFile) { Remove-Item -LiteralPath $pyFile -ErrorAction SilentlyContinue }
    }

    It 'says NotKeystoneEndpoint for <Url>, and changes no context' -ForEach @(
        @{ Url = '/' }, @{ Url = '/v3' }, @{ Url = '/identity' }
    ) {
        $before = @(Get-VdcContext -ListAvailable).Name
        $current = (Get-VdcContext).Name
        $e = { Connect-VdcCloud -AuthUrl "http://127.0.0.1:$port$Url" -Credential $cred -ProjectName p -Name web } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'NotKeystoneEndpoint,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -BeLike '*is not a Keystone endpoint*text/html*'
        $e.ErrorDetails.RecommendedAction | Should -BeLike '*Keystone identity URL*'
        @(Get-VdcContext -ListAvailable).Name | Should -Be $before
        (Get-VdcContext).Name | Should -Be $current
    }
}

Describe 'Connect-VdcCloud against the lab' -Tag Lab {
    BeforeAll {
        $script:authUrl = 'http://127.0.0.1:5000/v3'
        # A user of our own with a password that appears nowhere else, so leaks can be detected.
        $script:userName = 'vdcps-conn-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $script:userPassword = New-TestSecret
        Invoke-OpenStack user create --domain default --password $userPassword $userName | Out-Null
        Invoke-OpenStackRaw role add --project admin --user $userName member | Out-Null
        $script:userCred = [pscredential]::new($userName, (ConvertTo-SecureString $userPassword -AsPlainText -Force))
    }
    AfterAll {
        Get-VdcContext -ListAvailable | Disconnect-VdcCloud -ErrorAction SilentlyContinue
        Invoke-OpenStackRaw user delete $userName | Out-Null
    }

    It 'connects with a password and shows user, scope, region, endpoints and token expiry' {
        $ctx = Connect-VdcCloud -AuthUrl $authUrl -Credential $userCred -UserDomainName Default -ProjectName admin -ProjectDomainName Default -Region RegionOne
        $ctx.UserName | Should -Be $userName
        $ctx.ScopeType | Should -Be 'Project'
        $ctx.ProjectName | Should -Be 'admin'
        $ctx.Region | Should -Be 'RegionOne'
        $ctx.AuthMethod | Should -Be 'Password'
        $ctx.ComputeEndpoint | Should -Be 'http://127.0.0.1:8774/v2.1'
        $ctx.NetworkEndpoint.Port | Should -Be 9696
        $ctx.BlockStorageEndpoint.AbsolutePath | Should -BeLike '/v3/*'
        $ctx.MetricEndpoint.Port | Should -Be 8041
        $ctx.RatingEndpoint.Port | Should -Be 8889
        $ctx.TokenExpiresAt | Should -BeGreaterThan ([datetime]::UtcNow.AddMinutes(10))
        $ctx.TokenExpiresAt.Kind | Should -Be 'Utc'
        $ctx.ComputeMicroversions | Should -Match '^2\.1-2\.\d+$'
        $ctx.IsCurrent | Should -BeTrue
        (Get-VdcContext).Name | Should -Be $ctx.Name
        # the oracle: Keystone knows this user as the one that owns the token's project role
        $ctx.UserId | Should -Be (Invoke-OpenStack user show $userName).id
        $ctx.ProjectId | Should -Be (Invoke-OpenStack project show admin).id
    }

    It 'connects from the lab clouds.yaml + secure.yaml by name' {
        $env:OS_CLIENT_CONFIG_FILE = $LabClouds
        try {
            $ctx = Connect-VdcCloud -Cloud vdcps-lab
            $ctx.Name | Should -Be 'vdcps-lab'
            $ctx.Cloud | Should -Be 'vdcps-lab'
            $ctx.UserName | Should -Be 'admin'
            $ctx.Roles -split ',' | Should -Contain 'admin'
        }
        finally { $env:OS_CLIENT_CONFIG_FILE = $null }
    }

    It 'takes the password from secure.yaml when clouds.yaml has none' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("vdcps-" + [guid]::NewGuid())
        New-Item -ItemType Directory $dir | Out-Null
        try {
            Set-Content (Join-Path $dir 'clouds.yaml') @"
clouds:
  split:
    auth:
      auth_url: $authUrl
      username: $userName
      user_domain_name: Default
      project_name: admin
      project_domain_name: Default
    region_name: RegionOne
"@
            Set-Content (Join-Path $dir 'secure.yaml') "clouds:`n  split:`n    auth:`n      password: '$userPassword'`n"
            $env:OS_CLIENT_CONFIG_FILE = Join-Path $dir 'clouds.yaml'
            $env:OS_CLIENT_SECURE_FILE = Join-Path $dir 'secure.yaml'
            (Connect-VdcCloud -Cloud split).UserName | Should -Be $userName
        }
        finally {
            $env:OS_CLIENT_CONFIG_FILE = $null; $env:OS_CLIENT_SECURE_FILE = $null
            Remove-Item -Recurse -Force $dir
        }
    }

    It 'connects with only OS_CLOUD set, no parameters (a runbook)' {
        $out = Invoke-FreshPwsh @"
`$env:OS_CLIENT_CONFIG_FILE = '$LabClouds'
`$env:OS_CLOUD = 'vdcps-lab'
Import-Module '$ModulePath'
`$ctx = Connect-VdcCloud
"`$(`$ctx.Name)|`$(`$ctx.UserName)|`$(`$ctx.ProjectName)"
"@
        $out[-1] | Should -Be 'vdcps-lab|admin|admin'
    }

    It 'connects with only OS_* variables (no clouds.yaml)' {
        $out = Invoke-FreshPwsh @"
Get-ChildItem env:OS_* | Remove-Item
`$env:OS_AUTH_URL = '$authUrl'
`$env:OS_USERNAME = '$userName'
`$env:OS_PASSWORD = '$userPassword'
`$env:OS_PROJECT_NAME = 'admin'
`$env:OS_USER_DOMAIN_NAME = 'Default'
`$env:OS_PROJECT_DOMAIN_NAME = 'Default'
`$env:OS_REGION_NAME = 'RegionOne'
Set-Location '$([IO.Path]::GetTempPath())'
Import-Module '$ModulePath'
`$ctx = Connect-VdcCloud
"`$(`$ctx.Cloud)|`$(`$ctx.UserName)|`$(`$ctx.Region)"
"@
        $out[-1] | Should -Be "environment|$userName|RegionOne"
    }

    It 'connects with an application credential, by id and by name' {
        $secret = New-TestSecret
        # Made with one plain POST: `openstack application credential create` against this lab can
        # send its POST twice (a retry after uwsgi closes the connection) and then fail with 409.
        $token = (Invoke-OpenStack token issue)
        Repair-LabKeystone
        $body = @{ application_credential = @{ name = 'vdcps-ac-' + [guid]::NewGuid().ToString('N').Substring(0, 8); secret = $secret } } | ConvertTo-Json
        $appCred = (Invoke-RestMethod -Method Post -Uri "$authUrl/users/$($token.user_id)/application_credentials" -Headers @{ 'X-Auth-Token' = $token.id } -ContentType 'application/json' -Body $body).application_credential
        try {
            $secure = ConvertTo-SecureString $secret -AsPlainText -Force
            $byId = Connect-VdcCloud -AuthUrl $authUrl -ApplicationCredentialId $appCred.id -ApplicationCredentialSecret $secure -Name ac-id
            $byId.AuthMethod | Should -Be 'ApplicationCredential'
            $byId.ProjectName | Should -Be 'admin'
            $byName = Connect-VdcCloud -AuthUrl $authUrl -ApplicationCredentialName $appCred.name -UserName admin -UserDomainName Default -ApplicationCredentialSecret $secure -Name ac-name
            $byName.UserName | Should -Be 'admin'
        }
        finally { Invoke-RestMethod -Method Delete -Uri "$authUrl/users/$($token.user_id)/application_credentials/$($appCred.id)" -Headers @{ 'X-Auth-Token' = $token.id } | Out-Null }
    }

    It 'connects with an existing token and does not revoke it on disconnect' {
        $token = (Invoke-OpenStack token issue).id
        $ctx = Connect-VdcCloud -AuthUrl $authUrl -Token (ConvertTo-SecureString $token -AsPlainText -Force) -ProjectName admin -ProjectDomainName Default -Name by-token
        $ctx.AuthMethod | Should -Be 'Token'
        $ctx.CanRenewToken | Should -BeFalse
        $ctx | Disconnect-VdcCloud
        # the caller's token is still valid for Keystone
        $env:OS_CLIENT_CONFIG_FILE = $LabClouds
        & openstack --os-cloud vdcps-lab token revoke $token 2>&1 | Out-Null
        $LASTEXITCODE | Should -Be 0
    }

    It 'connects with system scope' {
        $env:OS_CLIENT_CONFIG_FILE = $LabClouds
        try {
            $ctx = Connect-VdcCloud -Cloud vdcps-lab-system
            $ctx.ScopeType | Should -Be 'System'
            $ctx.Scope | Should -Be 'system'
            $byParameter = Connect-VdcCloud -Cloud vdcps-lab -System -Name lab-system-2 -NoSetCurrent
            $byParameter.ScopeType | Should -Be 'System'
            $byParameter.IsCurrent | Should -BeFalse
        }
        finally { $env:OS_CLIENT_CONFIG_FILE = $null }
    }

    It 'a wrong password is AuthenticationFailed and says nothing secret' {
        $wrong = New-TestSecret
        $cred = [pscredential]::new($userName, (ConvertTo-SecureString $wrong -AsPlainText -Force))
        $e = { Connect-VdcCloud -AuthUrl $authUrl -Credential $cred -ProjectName admin } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'AuthenticationFailed,*'
        $e.CategoryInfo.Category | Should -Be 'AuthenticationError'
        ($e | Out-String) | Should -Not -Match ([regex]::Escape($wrong))
    }

    It 'an unknown region has no endpoints, and says so' {
        $ctx = Connect-VdcCloud -AuthUrl $authUrl -Credential $userCred -ProjectName admin -Region Nowhere -Name nowhere-region -NoSetCurrent
        $ctx.ComputeEndpoint | Should -BeNullOrEmpty
    }

    It 'keeps several clouds side by side' {
        $a = Connect-VdcCloud -AuthUrl $authUrl -Credential $userCred -ProjectName admin -Name side-a
        $b = Connect-VdcCloud -AuthUrl $authUrl -Credential $userCred -ProjectName admin -Name side-b -NoSetCurrent
        (Get-VdcContext).Name | Should -Be 'side-a'
        (Get-VdcContext -Name side-*).Name | Should -Be @('side-a', 'side-b')
        $b.IsCurrent | Should -BeFalse
    }
}
