using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VdcPS.Openstack.Identity;
using VdcPS.Tests.TestSupport;
using Xunit;

namespace VdcPS.Tests.Openstack
{
    /// <summary>
    /// Keystone's project and user writes through typed options (gophercloud CreateOpts -> body): the
    /// exact body sent, the api-ref answers read, and the extra-property reader that keeps JSON inside
    /// the OpenStack layer (an array as VdcPS writes it, or its JSON text as `openstack project set` does).
    /// </summary>
    public class ProjectOptionsFixtureTests
    {
        [Fact]
        public async Task Project_create_sends_the_typed_options_as_the_body_and_reads_the_answer()
        {
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("POST", "^/v3/projects$", 201, ApiFixture.Sample("identity", "project-create-response.json"));
            var options = new ProjectCreateOptions { Name = "myNewProject", DomainId = "default", Description = "My new project" };
            options.Extra.Add(new KeyValuePair<string, object?>("vdcps_plan", "vdc-small"));
            options.Extra.Add(new KeyValuePair<string, object?>("vdcps_history", new[] { new Dictionary<string, string> { ["at"] = "2026-11-01T00:00:00Z", ["event"] = "activated", ["plan"] = "vdc-small" } }));

            ProjectDto project = await new IdentityApi(cloud.Session).CreateProjectAsync(options, CancellationToken.None);

            ApiFixture.AssertSameJson(
                "{\"project\":{\"name\":\"myNewProject\",\"domain_id\":\"default\",\"description\":\"My new project\",\"enabled\":true,\"vdcps_plan\":\"vdc-small\","
                + "\"vdcps_history\":[{\"at\":\"2026-11-01T00:00:00Z\",\"event\":\"activated\",\"plan\":\"vdc-small\"}]}}",
                cloud.Single("POST").Body);
            Assert.Equal("myNewProject", project.Name);
            Assert.True(project.Enabled);
            Assert.False(project.HasExtra("vdcps_plan")); // the api-ref answer has none
        }

        [Fact]
        public async Task Project_update_sends_only_what_is_set_null_clears_and_a_value_read_earlier_goes_back_unchanged()
        {
            var earlier = new ProjectDto();
            earlier.Extra["vdcps_history"] = JsonNode.Parse("[{\"at\":\"2026-11-01T00:00:00Z\",\"event\":\"activated\",\"plan\":\"p\",\"by\":7}]");
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("PATCH", "^/v3/projects/93eb", 200, ApiFixture.Sample("identity", "project-update-response.json"));
            var options = new ProjectUpdateOptions { Enabled = false };
            options.Extra["vdcps_state"] = "suspended";
            options.Extra["vdcps_lease"] = null;
            options.Extra["vdcps_quota_history"] = new[] { "2026-11-01T00:00:00Z new-tenant compute.cores=8" };
            options.Extra["vdcps_history"] = earlier.ExtraAsIs("vdcps_history");

            await new IdentityApi(cloud.Session).UpdateProjectAsync("93ebbcc35335488b96ff9cd7d18cbb2e", options, CancellationToken.None);

            ApiFixture.AssertSameJson(
                "{\"project\":{\"enabled\":false,\"vdcps_state\":\"suspended\",\"vdcps_lease\":null,\"vdcps_quota_history\":[\"2026-11-01T00:00:00Z new-tenant compute.cores=8\"],"
                + "\"vdcps_history\":[{\"at\":\"2026-11-01T00:00:00Z\",\"event\":\"activated\",\"plan\":\"p\",\"by\":7}]}}",
                cloud.Single("PATCH").Body);
            Assert.True(new ProjectUpdateOptions().IsEmpty);
            Assert.Null(earlier.ExtraAsIs("absent"));
        }

        [Fact]
        public void Project_options_refuse_a_field_of_the_project_itself_and_a_value_Keystone_extras_do_not_take()
        {
            Assert.Throws<ArgumentException>(() => new ProjectUpdateOptions { Extra = { ["name"] = "x" } }.ToRequestBody());
            Assert.Throws<ArgumentException>(() => new ProjectUpdateOptions { Extra = { ["when"] = DateTime.UtcNow } }.ToRequestBody());
            var create = new ProjectCreateOptions { Name = "n" };
            create.Extra.Add(new KeyValuePair<string, object?>("enabled", false));
            Assert.Throws<ArgumentException>(() => create.ToRequestBody());
        }

        [Fact]
        public async Task User_create_and_update_send_only_what_is_set()
        {
            const string answer = "{\"user\":{\"id\":\"ff4e51\",\"name\":\"acme-admin\",\"domain_id\":\"default\",\"enabled\":true,\"default_project_id\":\"93eb\",\"password_expires_at\":null,\"options\":{}}}";
            using ApiFixture cloud = await ApiFixture.StartAsync();
            cloud.On("POST", "^/v3/users$", 201, answer);
            cloud.On("PATCH", "^/v3/users/ff4e51$", 200, answer);
            var api = new IdentityApi(cloud.Session);

            UserDto user = await api.CreateUserAsync(
                new UserCreateOptions { Name = "acme-admin", Password = "s3cret", DefaultProjectId = "93eb", Description = "VdcPS tenant 'acme'", Email = string.Empty },
                CancellationToken.None);
            await api.UpdateUserAsync(user.Id, new UserUpdateOptions { Enabled = false }, CancellationToken.None);

            ApiFixture.AssertSameJson(
                "{\"user\":{\"name\":\"acme-admin\",\"domain_id\":\"default\",\"password\":\"s3cret\",\"default_project_id\":\"93eb\",\"enabled\":true,\"description\":\"VdcPS tenant 'acme'\"}}",
                cloud.Single("POST").Body);
            ApiFixture.AssertSameJson("{\"user\":{\"enabled\":false}}", cloud.Single("PATCH").Body);
            Assert.Equal("ff4e51", user.Id);
            Assert.Equal("93eb", user.DefaultProjectId);
        }

        [Theory]
        [InlineData("[\"a\",{\"at\":\"t\"}]")]
        [InlineData("\"[\\\"a\\\",{\\\"at\\\":\\\"t\\\"}]\"")] // the array's JSON text, as `openstack project set --property` writes it
        public void An_extra_array_is_read_as_written_by_VdcPS_or_as_its_JSON_text(string value)
        {
            var project = new ProjectDto();
            project.Extra["k"] = JsonNode.Parse(value);

            Assert.Equal(ExtraArrayState.Array, project.TryExtraArray("k", out IReadOnlyList<ExtraItem> items, out _));

            Assert.Equal(new[] { "a", null }, items.Select(i => i.Text));
            Assert.False(items[0].IsObject);
            Assert.True(items[1].TryGetField("at", out string? at));
            Assert.Equal("t", at);
            Assert.True(items[1].TryGetField("plan", out string? plan)); // absent
            Assert.Null(plan);
        }

        [Fact]
        public void An_extra_array_that_is_absent_not_an_array_or_not_JSON_says_which()
        {
            var project = new ProjectDto();
            project.Extra["number"] = 5;
            project.Extra["text"] = "not [json";
            project.Extra["object"] = JsonNode.Parse("[{\"at\":1}]");

            Assert.Equal(ExtraArrayState.Absent, project.TryExtraArray("absent", out _, out _));
            Assert.Equal(ExtraArrayState.NotArray, project.TryExtraArray("number", out _, out _));
            Assert.Equal(ExtraArrayState.InvalidJson, project.TryExtraArray("text", out _, out string? error));
            Assert.False(string.IsNullOrEmpty(error));
            project.TryExtraArray("object", out IReadOnlyList<ExtraItem> items, out _);
            Assert.False(items[0].TryGetField("at", out _)); // a number where text belongs
            Assert.Equal("5", project.ExtraExcerpt("number"));
            Assert.Equal("not [json", project.ExtraExcerpt("text"));
        }
    }
}
