"""Nova's fake virt driver for the VdcPS lab (lab.sh copies this file to <lab>/lib).

nova.virt.fake.FakeDriver keeps its guests in memory only: after nova-compute restarts (a warm
start of the lab) it knows none of them, and stop, start or resize of an existing server would
fail with InstanceNotFound. This driver rebuilds that memory from Nova's own records when the
compute service starts: every server on this host that is not offloaded is a guest again, in the
power state Nova recorded. Everything else is FakeDriver: every API path, the scheduler, conductor
and compute manager run for real, only the hypervisor is simulated.
"""
from nova import context as nova_context
from nova import objects
from nova.compute import power_state
from nova.compute import vm_states
from nova.virt import fake


class LabFakeDriver(fake.FakeDriver):

    def init_host(self, host):
        super().init_host(host)
        ctx = nova_context.get_admin_context()
        instances = objects.InstanceList.get_by_host(ctx, host, expected_attrs=['flavor'])
        restored = 0
        for inst in instances:
            if inst.vm_state in (vm_states.SHELVED_OFFLOADED, vm_states.DELETED):
                continue
            if inst.uuid in self.instances:
                continue
            # the recorded state, or shut off if Nova recorded none (e.g. a build that failed)
            state = inst.power_state or power_state.SHUTDOWN
            self.instances[inst.uuid] = fake.FakeInstance(inst.name, state, inst.uuid)
            flavor = inst.flavor
            self.resources.claim(vcpus=flavor.vcpus, mem=flavor.memory_mb, disk=flavor.root_gb)
            restored += 1
        fake.LOG.info('lab fake driver: %d guests restored on host %s', restored, host)
