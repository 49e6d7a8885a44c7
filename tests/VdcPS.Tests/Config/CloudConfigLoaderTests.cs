using System;
using System.IO;
using System.Linq;
using VdcPS.Config;
using Xunit;

namespace VdcPS.Tests.Config
{
    public class CloudConfigLoaderTests
    {
        private const string SimpleCloud = @"clouds:
  {0}:
    auth:
      auth_url: https://{0}.example.com/v3
      username: u-{0}
      password: p-{0}
      project_name: proj-{0}
      user_domain_name: Default
      project_domain_name: Default
";

        private static string Cloud(string name) => SimpleCloud.Replace("{0}", name);

        // ------------------------------------------------------------ search order

        [Fact]
        public void FindConfigFiles_FollowsOpenstacksdkSearchOrder()
        {
            using var box = new ConfigSandbox();
            var files = CloudConfigLoader.FindConfigFiles(box.Env);

            string[] expected =
            {
                Path.Combine(box.Cwd, "clouds.yaml"),
                Path.Combine(box.Cwd, "clouds.yml"),
                Path.Combine(box.Cwd, "clouds.json"),
                Path.Combine(box.UserDir, "clouds.yaml"),
                Path.Combine(box.UserDir, "clouds.yml"),
                Path.Combine(box.UserDir, "clouds.json"),
                Path.Combine(box.Sys, "etc", "xdg", "openstack", "clouds.yaml"),
                Path.Combine(box.Sys, "etc", "xdg", "openstack", "clouds.yml"),
                Path.Combine(box.Sys, "etc", "xdg", "openstack", "clouds.json"),
                Path.Combine(box.EtcDir, "clouds.yaml"),
                Path.Combine(box.EtcDir, "clouds.yml"),
                Path.Combine(box.EtcDir, "clouds.json"),
            };
            Assert.Equal(expected, files);
        }

        [Fact]
        public void FindConfigFiles_XdgConfigHomeAndOverrideVariable()
        {
            using var box = new ConfigSandbox();
            string xdg = Path.Combine(box.Root, "xdg");
            box.Set("XDG_CONFIG_HOME", xdg).Set("OS_CLIENT_CONFIG_FILE", "custom/my.yaml");

            var files = CloudConfigLoader.FindConfigFiles(box.Env);

            Assert.Equal(Path.Combine(box.Cwd, "custom/my.yaml"), files[0]);
            Assert.Equal(Path.Combine(box.Cwd, "clouds.yaml"), files[1]);
            Assert.Equal(Path.Combine(xdg, "openstack", "clouds.yaml"), files[4]);
            // ~/.config/openstack is still searched after the XDG directory (loader.py UNIX_CONFIG_HOME).
            Assert.Equal(Path.Combine(box.UserDir, "clouds.yaml"), files[7]);
            Assert.Equal(Path.Combine(box.Cwd, "secure.yaml"), CloudConfigLoader.FindSecureFiles(box.Env)[0]);
        }

        [Fact]
        public void FindConfigFiles_Windows_UsesAppDataDirectories()
        {
            using var box = new ConfigSandbox(ConfigPlatform.Windows);
            string local = Path.Combine(box.Root, "Local");
            string common = Path.Combine(box.Root, "ProgramData");
            box.Set("LOCALAPPDATA", local).Set("PROGRAMDATA", common);

            var dirs = CloudConfigLoader.GetSearchDirectories(box.Env);

            Assert.Equal(
                new[]
                {
                    box.Cwd,
                    Path.Combine(local, "OpenStack", "openstack"),
                    box.UserDir,
                    Path.Combine(common, "OpenStack", "openstack"),
                    box.EtcDir,
                },
                dirs);
        }

        [Fact]
        public void CurrentDirectoryWinsOverUserDirectoryWhichWinsOverEtc()
        {
            using var box = new ConfigSandbox();
            box.Write(box.EtcDir, "clouds.yaml", Cloud("etc"));
            Assert.Equal("etc", CloudConfigLoader.Load(null, box.Env).Name);

            box.Write(box.UserDir, "clouds.yaml", Cloud("user"));
            Assert.Equal("user", CloudConfigLoader.Load(null, box.Env).Name);

            string cwdFile = box.Write(box.Cwd, "clouds.yml", Cloud("cwdyml"));
            CloudProfile p = CloudConfigLoader.Load(null, box.Env);
            Assert.Equal("cwdyml", p.Name);
            Assert.Equal(cwdFile, p.SourceFile);

            // Same directory: .yaml before .yml; only the first file found is used (no merging of clouds files).
            box.Write(box.Cwd, "clouds.yaml", Cloud("cwdyaml"));
            Assert.Equal(new[] { "cwdyaml" }, CloudConfigLoader.GetCloudNames(box.Env));
        }

        [Fact]
        public void OsClientConfigFile_IsFirst_AndFallsBackWhenMissing()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", Cloud("local"));
            string custom = box.Write(Path.Combine(box.Root, "elsewhere"), "any-name.yaml", Cloud("custom"));

            box.Set("OS_CLIENT_CONFIG_FILE", custom);
            CloudProfile p = CloudConfigLoader.Load(null, box.Env);
            Assert.Equal("custom", p.Name);
            Assert.Equal(custom, p.SourceFile);

            box.Set("OS_CLIENT_CONFIG_FILE", Path.Combine(box.Root, "missing.yaml"));
            Assert.Equal("local", CloudConfigLoader.Load(null, box.Env).Name);
        }

        [Fact]
        public void JsonVariantIsRead()
        {
            using var box = new ConfigSandbox();
            box.Write(box.UserDir, "clouds.json", ConfigSandbox.Fixture("clouds.json"));

            CloudProfile p = CloudConfigLoader.Load("jsoncloud", box.Env);

            Assert.Equal("https://keystone.json.example.com/v3", p.AuthUrl);
            Assert.Equal("jsonpass", CloudSecrets.Reveal(p.Password));
            Assert.Equal("abc123", p.ProjectId);
            Assert.Equal("J1", p.RegionName);
            Assert.True(p.Verify);
        }

        // ------------------------------------------------------------ secure.yaml

        [Fact]
        public void SecureYaml_IsDeepMergedOverClouds_EvenFromAnotherDirectory()
        {
            using var box = new ConfigSandbox();
            string clouds = box.Write(box.Cwd, "clouds.yaml", ConfigSandbox.Fixture("clouds.yaml"));
            string secure = box.Write(box.UserDir, "secure.yaml", ConfigSandbox.Fixture("secure.yaml"));

            CloudProfile p = CloudConfigLoader.Load("prod", box.Env);

            Assert.Equal("hunter2-from-secure", CloudSecrets.Reveal(p.Password));
            Assert.Equal("alice", p.Username); // the rest of auth: is kept (deep merge)
            Assert.Equal(clouds, p.SourceFile);

            // A cloud defined only in secure.yaml exists too.
            CloudProfile other = CloudConfigLoader.Load("secret-only", box.Env);
            Assert.Equal(secure, other.SourceFile);
            Assert.Contains("secret-only", CloudConfigLoader.GetCloudNames(box.Env));
        }

        [Fact]
        public void OsClientSecureFile_IsUsedFirst()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", ConfigSandbox.Fixture("clouds.yaml"));
            box.Write(box.Cwd, "secure.yaml", "clouds:\n  prod:\n    auth:\n      password: from-cwd\n");
            string s = box.Write(Path.Combine(box.Root, "vault"), "s.yaml", "clouds:\n  prod:\n    auth:\n      password: from-override\n");
            box.Set("OS_CLIENT_SECURE_FILE", s);

            Assert.Equal("from-override", CloudSecrets.Reveal(CloudConfigLoader.Load("prod", box.Env).Password));
        }

        // ------------------------------------------------------------ cloud selection

        [Fact]
        public void OsCloud_SelectsTheCloud_AndExplicitNameWins()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", ConfigSandbox.Fixture("clouds.yaml"));
            box.Set("OS_CLOUD", "sysadmin");

            Assert.Equal("sysadmin", CloudConfigLoader.Load(null, box.Env).Name);
            Assert.Equal("tokenonly", CloudConfigLoader.Load("tokenonly", box.Env).Name);
        }

        [Fact]
        public void SeveralClouds_NothingChosen_IsNoConfiguration()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", ConfigSandbox.Fixture("clouds.yaml"));

            var ex = Assert.Throws<CloudConfigException>(() => CloudConfigLoader.Load(null, box.Env));
            Assert.Equal(CloudConfigException.ReasonNoConfiguration, ex.Reason);
            Assert.Contains("prod", ex.Message);
            Assert.Contains("OS_CLOUD", ex.Message);
        }

        [Fact]
        public void NothingAnywhere_IsNoConfiguration()
        {
            using var box = new ConfigSandbox();
            box.Set("OS_REGION_NAME", "RegionOne"); // a selector alone does not make a cloud

            var ex = Assert.Throws<CloudConfigException>(() => CloudConfigLoader.Load(null, box.Env));
            Assert.Equal(CloudConfigException.ReasonNoConfiguration, ex.Reason);
            Assert.Contains(Path.Combine(box.EtcDir, "clouds.yaml"), ex.Message);
        }

        [Fact]
        public void UnknownCloud_MessageListsKnownCloudsAndSearchedFiles()
        {
            using var box = new ConfigSandbox();
            string file = box.Write(box.Cwd, "clouds.yaml", ConfigSandbox.Fixture("clouds.yaml"));

            var ex = Assert.Throws<CloudConfigException>(() => CloudConfigLoader.Load("nope", box.Env));

            Assert.Equal(CloudConfigException.ReasonCloudNotFound, ex.Reason);
            Assert.Equal(file, ex.FilePath);
            Assert.Contains("'nope'", ex.Message);
            Assert.Contains("prod, appcred, tokenonly, sysadmin", ex.Message);
            Assert.Contains(Path.Combine(box.UserDir, "clouds.yaml"), ex.Message);
            Assert.Contains(Path.Combine(box.EtcDir, "clouds.json"), ex.Message);
        }

        // ------------------------------------------------------------ environment variables

        [Fact]
        public void PureEnvironmentCloud_WhenOsCloudIsNotSet()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", Cloud("only")); // the env cloud beats "the only cloud"
            box.Set("OS_AUTH_URL", "https://env.example.com:5000/v3")
               .Set("OS_USERNAME", "envuser")
               .Set("OS_PASSWORD", "envpass")
               .Set("OS_PROJECT_NAME", "envproj")
               .Set("OS_USER_DOMAIN_NAME", "UD")
               .Set("OS_PROJECT_DOMAIN_ID", "pd-id")
               .Set("OS_REGION_NAME", "R9")
               .Set("OS_INTERFACE", "admin")
               .Set("OS_IDENTITY_API_VERSION", "3");

            CloudProfile p = CloudConfigLoader.Load(null, box.Env);

            Assert.Equal("envvars", p.Name);
            Assert.Equal(CloudConfigLoader.EnvironmentSource, p.SourceFile);
            Assert.Equal(AuthKind.Password, p.AuthType);
            Assert.Equal("https://env.example.com:5000/v3", p.AuthUrl);
            Assert.Equal("envuser", p.Username);
            Assert.Equal("envpass", CloudSecrets.Reveal(p.Password));
            Assert.Equal("envproj", p.ProjectName);
            Assert.Equal("UD", p.UserDomainName);
            Assert.Null(p.UserDomainId); // a user domain is given: default_domain does not apply
            Assert.Equal("pd-id", p.ProjectDomainId);
            Assert.Equal("R9", p.RegionName);
            Assert.Equal("admin", p.Interface);
            Assert.Equal("3", p.IdentityApiVersion);
        }

        [Fact]
        public void EnvironmentAliases_TenantName_EndpointType_Insecure_CloudName()
        {
            using var box = new ConfigSandbox();
            box.Set("OS_AUTH_URL", "https://env.example.com/v3")
               .Set("OS_USER_ID", "uid-1")
               .Set("OS_PASSWORD", "pw")
               .Set("OS_TENANT_NAME", "legacy-tenant")
               .Set("OS_TENANT_ID", "tid-1")
               .Set("OS_ENDPOINT_TYPE", "internalURL")
               .Set("OS_INSECURE", "True")
               .Set("OS_CLOUD_NAME", "myenv");

            CloudProfile p = CloudConfigLoader.Load(null, box.Env);

            Assert.Equal("myenv", p.Name);
            Assert.Equal("uid-1", p.UserId);
            Assert.Equal("legacy-tenant", p.ProjectName);
            Assert.Equal("tid-1", p.ProjectId);
            Assert.Equal("internal", p.Interface);
            Assert.False(p.Verify);

            // OS_PROJECT_NAME beats OS_TENANT_NAME.
            box.Set("OS_PROJECT_NAME", "modern");
            Assert.Equal("modern", CloudConfigLoader.Load(null, box.Env).ProjectName);
        }

        [Fact]
        public void EnvironmentOverridesNamedCloud_AsTheOpenstackCliDoes()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", ConfigSandbox.Fixture("clouds.yaml"));
            box.Write(box.Cwd, "secure.yaml", ConfigSandbox.Fixture("secure.yaml"));
            box.Set("OS_CLOUD", "prod").Set("OS_PASSWORD", "from-env").Set("OS_PROJECT_NAME", "env-project");

            CloudProfile p = CloudConfigLoader.Load(null, box.Env);

            Assert.Equal("prod", p.Name);
            Assert.Equal("from-env", CloudSecrets.Reveal(p.Password));
            Assert.Equal("env-project", p.ProjectName);
            Assert.Equal("alice", p.Username);
        }

        [Fact]
        public void OnlySelectorVariables_SingleCloudIsUsed()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", Cloud("solo"));
            box.Set("OS_CLIENT_SECURE_FILE", Path.Combine(box.Root, "none.yaml"));

            Assert.Equal("solo", CloudConfigLoader.Load(null, box.Env).Name);
        }

        [Fact]
        public void FileCloudNamedEnvvars_IsRejectedLikeOpenstacksdk()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", Cloud("envvars"));

            var ex = Assert.Throws<CloudConfigException>(() => CloudConfigLoader.Load("envvars", box.Env));
            Assert.Equal(CloudConfigException.ReasonInvalidFile, ex.Reason);
        }

        // ------------------------------------------------------------ auth kinds and scopes

        [Fact]
        public void ApplicationCredentialProfile()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", ConfigSandbox.Fixture("clouds.yaml"));

            CloudProfile p = CloudConfigLoader.Load("appcred", box.Env);

            Assert.Equal(AuthKind.ApplicationCredential, p.AuthType);
            Assert.Equal("v3applicationcredential", p.AuthTypeName);
            Assert.Equal("0123abcd", p.ApplicationCredentialId);
            Assert.Equal("s3cr3t-appcred", CloudSecrets.Reveal(p.ApplicationCredentialSecret));
            Assert.False(p.HasPassword);
            Assert.Equal("RegionOne", p.RegionName); // first of regions:
            Assert.Equal("public", p.Interface);
        }

        [Fact]
        public void ApplicationCredentialFromEnvironment_NeedsSecret()
        {
            using var box = new ConfigSandbox();
            box.Set("OS_AUTH_TYPE", "v3applicationcredential")
               .Set("OS_AUTH_URL", "https://k.example.com/v3")
               .Set("OS_APPLICATION_CREDENTIAL_ID", "ac-id");

            var ex = Assert.Throws<CloudConfigException>(() => CloudConfigLoader.Load(null, box.Env));
            Assert.Equal(CloudConfigException.ReasonIncomplete, ex.Reason);
            Assert.Contains("OS_APPLICATION_CREDENTIAL_SECRET", ex.Message);

            box.Set("OS_APPLICATION_CREDENTIAL_SECRET", "ac-secret");
            CloudProfile p = CloudConfigLoader.Load(null, box.Env);
            Assert.Equal("ac-secret", CloudSecrets.Reveal(p.ApplicationCredentialSecret));
        }

        [Fact]
        public void TokenProfile()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", ConfigSandbox.Fixture("clouds.yaml"));

            CloudProfile p = CloudConfigLoader.Load("tokenonly", box.Env);

            Assert.Equal(AuthKind.Token, p.AuthType);
            Assert.Equal("gAAAAA-the-token", CloudSecrets.Reveal(p.Token));
            Assert.Equal("9f8e7d", p.ProjectId);
            Assert.Null(p.Username);
            Assert.Null(p.Password);
        }

        [Fact]
        public void TokenWithoutAuthType_IsPasswordAuth_AndIncomplete()
        {
            using var box = new ConfigSandbox();
            box.Set("OS_AUTH_URL", "https://k.example.com/v3").Set("OS_TOKEN", "tok");

            var ex = Assert.Throws<CloudConfigException>(() => CloudConfigLoader.Load(null, box.Env));
            Assert.Equal(CloudConfigException.ReasonIncomplete, ex.Reason);
            Assert.Contains("OS_AUTH_TYPE=v3token", ex.Message);

            box.Set("OS_AUTH_TYPE", "token");
            Assert.Equal(AuthKind.Token, CloudConfigLoader.Load(null, box.Env).AuthType);
        }

        [Fact]
        public void SystemScope_VerifyFalse_ApiTimeout()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", ConfigSandbox.Fixture("clouds.yaml"));

            CloudProfile p = CloudConfigLoader.Load("sysadmin", box.Env);

            Assert.Equal("all", p.SystemScope);
            Assert.Equal("default", p.UserDomainId);
            Assert.False(p.Verify);
            Assert.Equal(TimeSpan.FromSeconds(42.5), p.ApiTimeout);
            Assert.Null(p.RegionName);
        }

        [Fact]
        public void DomainName_FillsUserAndProjectDomains_WhenProjectScoped_ElseIsDomainScope()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", @"clouds:
  projscoped:
    auth:
      auth_url: https://k/v3
      username: u
      password: p
      project_name: pr
      domain_name: Corp
  domscoped:
    auth:
      auth_url: https://k/v3
      username: u
      password: p
      user_domain_name: Users
      domain_name: Corp
");
            CloudProfile proj = CloudConfigLoader.Load("projscoped", box.Env);
            Assert.Equal("Corp", proj.UserDomainName);
            Assert.Equal("Corp", proj.ProjectDomainName);
            Assert.Null(proj.DomainName);

            CloudProfile dom = CloudConfigLoader.Load("domscoped", box.Env);
            Assert.Equal("Corp", dom.DomainName);
            Assert.Equal("Users", dom.UserDomainName);
            Assert.Null(dom.ProjectDomainName);
        }

        [Fact]
        public void DefaultDomain_AppliesOnlyWithIdentityV3AndPassword()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", @"clouds:
  v3:
    identity_api_version: 3
    auth:
      auth_url: https://k/v3
      username: u
      project_name: pr
  unversioned:
    auth:
      auth_url: https://k/v3
      username: u
      project_name: pr
");
            CloudProfile v3 = CloudConfigLoader.Load("v3", box.Env);
            Assert.Equal("default", v3.UserDomainId);
            Assert.Equal("default", v3.ProjectDomainId);
            Assert.Equal("default", v3.DefaultDomain);
            Assert.False(v3.HasPassword); // no password: left to the caller to prompt, as the CLI does

            box.Set("OS_DEFAULT_DOMAIN", "corp-id");
            Assert.Equal("corp-id", CloudConfigLoader.Load("v3", box.Env).UserDomainId);

            CloudProfile plain = CloudConfigLoader.Load("unversioned", box.Env);
            Assert.Null(plain.UserDomainId);
            Assert.Null(plain.ProjectDomainId);
        }

        [Fact]
        public void V3Password_RequiresDomains_LikeKeystoneauth()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", @"clouds:
  strict:
    auth_type: v3password
    auth:
      auth_url: https://k/v3
      username: u
      password: p
      project_name: pr
");
            var ex = Assert.Throws<CloudConfigException>(() => CloudConfigLoader.Load("strict", box.Env));
            Assert.Equal(CloudConfigException.ReasonIncomplete, ex.Reason);
            Assert.Contains("user's domain", ex.Message);
            Assert.Contains("project's domain", ex.Message);
        }

        [Fact]
        public void MissingAuthUrl_IsIncomplete_UnsupportedAuthType_Too()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", @"clouds:
  nourl:
    auth:
      username: u
      password: p
  oidc:
    auth_type: v3oidcpassword
    auth:
      auth_url: https://k/v3
");
            var ex = Assert.Throws<CloudConfigException>(() => CloudConfigLoader.Load("nourl", box.Env));
            Assert.Equal(CloudConfigException.ReasonIncomplete, ex.Reason);
            Assert.Contains("auth_url", ex.Message);

            ex = Assert.Throws<CloudConfigException>(() => CloudConfigLoader.Load("oidc", box.Env));
            Assert.Equal(CloudConfigException.ReasonIncomplete, ex.Reason);
            Assert.Contains("v3oidcpassword", ex.Message);
        }

        // ------------------------------------------------------------ region / interface / TLS

        [Fact]
        public void Regions_OsRegionNameSelects_ValuesApply_UnknownIsRejected()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", ConfigSandbox.Fixture("clouds.yaml"));

            box.Set("OS_REGION_NAME", "RegionTwo");
            CloudProfile two = CloudConfigLoader.Load("appcred", box.Env);
            Assert.Equal("RegionTwo", two.RegionName);
            Assert.Equal("admin", two.Interface); // from the region's values:

            CloudProfile one = CloudConfigLoader.Load("appcred", box.Env, regionName: "RegionOne");
            Assert.Equal("RegionOne", one.RegionName);
            Assert.Equal("public", one.Interface);

            var ex = Assert.Throws<CloudConfigException>(() => CloudConfigLoader.Load("appcred", box.Env, "regionone"));
            Assert.Equal(CloudConfigException.ReasonCloudNotFound, ex.Reason);
            Assert.Contains("RegionOne, RegionTwo", ex.Message);
        }

        [Fact]
        public void Interface_FromFile_EndpointTypeAlias_AndEnvironment()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", ConfigSandbox.Fixture("clouds.yaml") + @"  legacy:
    endpoint_type: adminURL
    auth:
      auth_url: https://k/v3
      user_id: uid
      password: p
");
            Assert.Equal("internal", CloudConfigLoader.Load("prod", box.Env).Interface);
            Assert.Equal("admin", CloudConfigLoader.Load("legacy", box.Env).Interface);

            box.Set("OS_INTERFACE", "public");
            Assert.Equal("public", CloudConfigLoader.Load("prod", box.Env).Interface);
        }

        [Fact]
        public void CacertCertKey_AreExpanded_InsecureWins()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", @"clouds:
  tls:
    cacert: ~/ca/bundle.pem
    cert: certs/client.pem
    key: /abs/client.key
    auth:
      auth_url: https://k/v3
      user_id: uid
      password: p
  insecure:
    insecure: true
    verify: true
    cacert: /abs/ca.pem
    auth:
      auth_url: https://k/v3
      user_id: uid
      password: p
");
            CloudProfile tls = CloudConfigLoader.Load("tls", box.Env);
            Assert.True(tls.Verify);
            Assert.Equal(Path.Combine(box.Home, "ca/bundle.pem"), tls.CaCertPath);
            Assert.Equal(Path.GetFullPath(Path.Combine(box.Cwd, "certs/client.pem")), tls.ClientCertPath);
            Assert.Equal("/abs/client.key", tls.ClientKeyPath);

            CloudProfile insecure = CloudConfigLoader.Load("insecure", box.Env);
            Assert.False(insecure.Verify);
            Assert.Equal("/abs/ca.pem", insecure.CaCertPath);
            Assert.Contains(insecure.Warnings, w => w.Contains("cacert"));

            box.Set("OS_CACERT", "/env/ca.pem");
            Assert.Equal("/env/ca.pem", CloudConfigLoader.Load("tls", box.Env).CaCertPath);
        }

        // ------------------------------------------------------------ file syntax

        [Fact]
        public void DashedKeysAnchorsMergeKeysAndDuplicateKeys()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", @"common: &common
  auth-url: https://k.example.com/v3
  user-domain-name: Default
  project-domain-name: Default
clouds:
  a:
    auth:
      <<: *common
      username: ua
      password: pa
      project-name: pa-proj
    region_name: R1
    region_name: R2
  b:
    auth:
      <<: *common
      auth-url: https://override.example.com/v3
      username: ub
      password: ""yes""
");
            CloudProfile a = CloudConfigLoader.Load("a", box.Env);
            Assert.Equal("https://k.example.com/v3", a.AuthUrl);
            Assert.Equal("Default", a.UserDomainName);
            Assert.Equal("pa-proj", a.ProjectName);
            Assert.Equal("R2", a.RegionName); // last duplicate wins, as in PyYAML

            CloudProfile b = CloudConfigLoader.Load("b", box.Env);
            Assert.Equal("https://override.example.com/v3", b.AuthUrl);
            Assert.Equal("yes", CloudSecrets.Reveal(b.Password));
        }

        [Fact]
        public void VendorProfile_FromCloudsPublic_WithRegionFormatting()
        {
            using var box = new ConfigSandbox();
            box.Write(box.UserDir, "clouds-public.yaml", ConfigSandbox.Fixture("clouds-public.yaml"));
            box.Write(box.Cwd, "clouds.yaml", @"clouds:
  mine:
    profile: examplecloud
    auth:
      username: me
      password: pw
      project_name: p
  legacy:
    cloud: examplecloud
    region_name: fr-1
    auth:
      username: me
      password: pw
  lost:
    profile: nosuchvendor
    auth:
      auth_url: https://k/v3
      username: me
");
            CloudProfile mine = CloudConfigLoader.Load("mine", box.Env);
            Assert.Equal("https://identity.de-1.example.net/v3", mine.AuthUrl);
            Assert.Equal("de-1", mine.RegionName);
            Assert.Equal("Default", mine.UserDomainName);
            Assert.Equal("3", mine.IdentityApiVersion);

            CloudProfile legacy = CloudConfigLoader.Load("legacy", box.Env);
            Assert.Equal("https://identity.fr-1.example.net/v3", legacy.AuthUrl);
            Assert.Contains(legacy.Warnings, w => w.Contains("deprecated"));

            Assert.Contains(CloudConfigLoader.Load("lost", box.Env).Warnings, w => w.Contains("nosuchvendor"));
        }

        [Fact]
        public void BrokenYaml_IsInvalidFile_WithLineAndColumn()
        {
            using var box = new ConfigSandbox();
            string file = box.Write(box.Cwd, "clouds.yaml", ConfigSandbox.Fixture("broken.yaml"));

            var ex = Assert.Throws<CloudConfigException>(() => CloudConfigLoader.Load("prod", box.Env));

            Assert.Equal(CloudConfigException.ReasonInvalidFile, ex.Reason);
            Assert.Equal(file, ex.FilePath);
            Assert.Equal(5, ex.Line);
            Assert.Equal(22, ex.Column);
            Assert.Contains(file, ex.Message);
            Assert.Contains("line 5, column 22", ex.Message);
            Assert.NotNull(ex.InnerException);
        }

        [Fact]
        public void NotAMapping_IsInvalidFile_EmptyFileDefinesNothing()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", "- just\n- a list\n");
            var ex = Assert.Throws<CloudConfigException>(() => CloudConfigLoader.Load("x", box.Env));
            Assert.Equal(CloudConfigException.ReasonInvalidFile, ex.Reason);

            box.Write(box.Cwd, "clouds.yaml", "# nothing yet\n");
            box.Write(box.UserDir, "clouds.yaml", Cloud("hidden")); // not reached: the empty file is "found"
            Assert.Empty(CloudConfigLoader.GetCloudNames(box.Env));
        }

        [Fact]
        public void GetCloudNames_InFileOrder_AndEmptyOnBrokenFile()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", ConfigSandbox.Fixture("clouds.yaml"));
            Assert.Equal(new[] { "prod", "appcred", "tokenonly", "sysadmin" }, CloudConfigLoader.GetCloudNames(box.Env));

            box.Write(box.Cwd, "clouds.yaml", ConfigSandbox.Fixture("broken.yaml"));
            Assert.Empty(CloudConfigLoader.GetCloudNames(box.Env));

            using var empty = new ConfigSandbox();
            Assert.Empty(CloudConfigLoader.GetCloudNames(empty.Env));
        }

        // ------------------------------------------------------------ secrets

        [Fact]
        public void ToString_NeverShowsSecrets()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", ConfigSandbox.Fixture("clouds.yaml"));
            box.Write(box.Cwd, "secure.yaml", ConfigSandbox.Fixture("secure.yaml"));

            foreach (string name in new[] { "prod", "appcred", "tokenonly", "sysadmin" })
            {
                string text = CloudConfigLoader.Load(name, box.Env).ToString();
                Assert.Contains(name, text);
                foreach (string secret in new[] { "hunter2", "s3cr3t", "gAAAAA", "admin-pass" })
                {
                    Assert.DoesNotContain(secret, text);
                }
            }

            Assert.Contains("password set", CloudConfigLoader.Load("prod", box.Env).ToString());
        }

        [Fact]
        public void Secrets_AreReadOnlySecureStrings()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", ConfigSandbox.Fixture("clouds.yaml"));

            CloudProfile p = CloudConfigLoader.Load("sysadmin", box.Env);

            Assert.NotNull(p.Password);
            Assert.True(p.Password!.IsReadOnly());
            Assert.Equal("admin-pass".Length, p.Password.Length);
            Assert.Equal("admin-pass", CloudSecrets.Reveal(p.Password));
            Assert.Null(CloudSecrets.Protect(string.Empty));
            Assert.DoesNotContain(typeof(CloudProfile).GetProperties(), pi => pi.PropertyType == typeof(string) &&
                (pi.Name.Contains("Password") || pi.Name.Contains("Secret") || pi.Name == "Token"));
        }

        [Fact]
        public void NoYamlDotNetTypeInThePublicSurface()
        {
            var leaks = typeof(CloudConfigException).Assembly.GetExportedTypes()
                .SelectMany(t => t.GetMembers())
                .Where(m => m.ToString()!.Contains("YamlDotNet"))
                .ToList();
            Assert.Empty(leaks);
        }
    }
}
