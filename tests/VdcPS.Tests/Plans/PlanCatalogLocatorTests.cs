using System;
using System.IO;
using VdcPS.Config;
using VdcPS.Openstack.Identity;
using VdcPS.Plans;
using VdcPS.Tests.Config;
using Xunit;

namespace VdcPS.Tests.Plans
{
    /// <summary>
    /// The location rule: -CatalogPath > VDCPS_PLAN_CATALOG > the cloud's vdcps_plan_catalog >
    /// ~/.config/vdcps/plans.yaml. Every value is passed in; nothing of the real machine is read.
    /// </summary>
    public sealed class PlanCatalogLocatorTests : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "vdcps-locator-" + Guid.NewGuid().ToString("N"));
        private readonly string _cwd;
        private readonly string _home;

        public PlanCatalogLocatorTests()
        {
            _cwd = Path.Combine(_root, "work");
            _home = Path.Combine(_root, "home");
            Directory.CreateDirectory(_cwd);
            Directory.CreateDirectory(_home);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private string Touch(string path)
        {
            string full = Path.Combine(_root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, "api_version: vdcps/v1\n");
            return full;
        }

        private string DefaultCatalog => Path.Combine(_home, ".config", "vdcps", "plans.yaml");

        [Fact]
        public void ExplicitPath_WinsOverEverything()
        {
            string explicitPath = Touch("explicit.yaml");
            string env = Touch("env.yaml");
            string cloud = Touch("cloud.yaml");
            Touch("home/.config/vdcps/plans.yaml");

            PlanCatalogLocation location = PlanCatalogLocator.Locate(explicitPath, env, cloud, _cwd, _home);
            Assert.Equal(explicitPath, location.Path);
            Assert.Equal("-CatalogPath", location.Source);
        }

        [Fact]
        public void EnvironmentVariable_WinsOverCloudAndDefault()
        {
            string env = Touch("env.yaml");
            string cloud = Touch("cloud.yaml");
            Touch("home/.config/vdcps/plans.yaml");

            PlanCatalogLocation location = PlanCatalogLocator.Locate(null, env, cloud, _cwd, _home);
            Assert.Equal(env, location.Path);
            Assert.Equal("$env:VDCPS_PLAN_CATALOG", location.Source);
            Assert.Equal(env, PlanCatalogLocator.Resolve(null, env, cloud, _cwd, _home));
        }

        [Fact]
        public void CloudCatalog_WinsOverDefault()
        {
            string cloud = Touch("cloud.yaml");
            Touch("home/.config/vdcps/plans.yaml");

            PlanCatalogLocation location = PlanCatalogLocator.Locate(null, "  ", cloud, _cwd, _home, "prod");
            Assert.Equal(cloud, location.Path);
            Assert.Equal("vdcps_plan_catalog of the cloud 'prod'", location.Source);
        }

        [Fact]
        public void Default_IsUsedWhenNothingIsSet()
        {
            string home = Touch("home/.config/vdcps/plans.yaml");
            Assert.Equal(home, DefaultCatalog);
            Assert.Equal(home, PlanCatalogLocator.Resolve(null, null, null, _cwd, _home));
            Assert.Equal("the default location", PlanCatalogLocator.Locate(null, null, null, _cwd, _home).Source);
        }

        [Fact]
        public void NothingFound_NamesEveryPlaceConsulted()
        {
            PlanCatalogException e = Assert.Throws<PlanCatalogException>(() => PlanCatalogLocator.Resolve(null, null, null, _cwd, _home));
            Assert.Equal(PlanCatalogException.ReasonNotFound, e.Reason);
            Assert.Equal(DefaultCatalog, e.FilePath);
            Assert.Contains("-CatalogPath: not set", e.Message);
            Assert.Contains("$env:VDCPS_PLAN_CATALOG: not set", e.Message);
            Assert.Contains("vdcps_plan_catalog of the connected cloud: not set", e.Message);
            Assert.Contains($"the default location: '{DefaultCatalog}' does not exist", e.Message);
            Assert.Contains("about_VdcPS_Plans", e.Message);
        }

        [Fact]
        public void ASetPlaceWithoutAFile_IsAnError_NotAFallThrough()
        {
            Touch("cloud.yaml");
            Touch("home/.config/vdcps/plans.yaml");
            string missing = Path.Combine(_root, "typo.yaml");

            PlanCatalogException e = Assert.Throws<PlanCatalogException>(
                () => PlanCatalogLocator.Resolve(null, missing, Path.Combine(_root, "cloud.yaml"), _cwd, _home));
            Assert.Equal(PlanCatalogException.ReasonNotFound, e.Reason);
            Assert.Equal(missing, e.FilePath);
            Assert.Contains("named by $env:VDCPS_PLAN_CATALOG does not exist", e.Message);
            Assert.Contains("-CatalogPath: not set", e.Message);

            e = Assert.Throws<PlanCatalogException>(() => PlanCatalogLocator.Resolve(missing, null, null, _cwd, _home));
            Assert.Contains("named by -CatalogPath", e.Message);
        }

        [Fact]
        public void RelativePaths_AreRelativeToTheCurrentDirectory_AndTildeIsHome()
        {
            string inCwd = Touch("work/catalogs/p.yaml");
            Assert.Equal(inCwd, PlanCatalogLocator.Resolve("catalogs/p.yaml", null, null, _cwd, _home));
            Assert.Equal(inCwd, PlanCatalogLocator.Resolve(null, "./catalogs/../catalogs/p.yaml", null, _cwd, _home));

            string inHome = Touch("home/mine.yaml");
            Assert.Equal(inHome, PlanCatalogLocator.Resolve("~/mine.yaml", null, null, _cwd, _home));
        }

        // ------------------------------------------------------------------ the cloud's key in clouds.yaml

        private const string CloudWithCatalog = @"clouds:
  prod:
    auth:
      auth_url: https://prod.example.com/v3
      username: u
      password: p
      project_name: admin
      user_domain_name: Default
      project_domain_name: Default
    vdcps_plan_catalog: {0}
";

        [Fact]
        public void CloudsYaml_RelativeCatalog_IsRelativeToTheCloudsYamlFolder()
        {
            using var box = new ConfigSandbox();
            string clouds = box.Write(Path.Combine(box.Root, "etc-vdc"), "clouds.yaml", CloudWithCatalog.Replace("{0}", "catalogs/plans.yaml"));
            box.Set("OS_CLIENT_CONFIG_FILE", clouds);

            CloudProfile profile = CloudConfigLoader.Load("prod", box.Env);
            string expected = Path.Combine(box.Root, "etc-vdc", "catalogs", "plans.yaml");
            Assert.Equal(expected, profile.PlanCatalogPath);
            Assert.Equal(expected, AuthOptionsFactory.FromProfile(profile).PlanCatalogPath);
        }

        [Fact]
        public void CloudsYaml_AbsoluteAndHomeCatalog_AndDashedKey()
        {
            using var box = new ConfigSandbox();
            string absolute = Path.Combine(box.Root, "abs", "plans.yaml");
            box.Write(box.Cwd, "clouds.yaml", CloudWithCatalog.Replace("{0}", absolute));
            Assert.Equal(absolute, CloudConfigLoader.Load("prod", box.Env).PlanCatalogPath);

            box.Write(box.Cwd, "clouds.yaml", CloudWithCatalog.Replace("{0}", "~/vdc/plans.yaml"));
            Assert.Equal(Path.Combine(box.Home, "vdc/plans.yaml"), CloudConfigLoader.Load("prod", box.Env).PlanCatalogPath);

            // clouds.yaml keys may be written with dashes (openstacksdk normalize_keys)
            box.Write(box.Cwd, "clouds.yaml", CloudWithCatalog.Replace("vdcps_plan_catalog: {0}", "vdcps-plan-catalog: p.yaml"));
            Assert.Equal(Path.Combine(box.Cwd, "p.yaml"), CloudConfigLoader.Load("prod", box.Env).PlanCatalogPath);
        }

        [Fact]
        public void CloudsYaml_WithoutTheKey_HasNoCatalog()
        {
            using var box = new ConfigSandbox();
            box.Write(box.Cwd, "clouds.yaml", CloudWithCatalog.Replace("    vdcps_plan_catalog: {0}\n", string.Empty).Replace("    vdcps_plan_catalog: {0}\r\n", string.Empty));
            CloudProfile profile = CloudConfigLoader.Load("prod", box.Env);
            Assert.Null(profile.PlanCatalogPath);
            Assert.Null(AuthOptionsFactory.FromProfile(profile).PlanCatalogPath);
        }
    }
}
