package vn.ndx.registry.admin;

import java.util.ArrayList;
import java.util.List;

import vn.ndx.contract.ProblemException;
import vn.ndx.contract.RegistrySnapshot.Agency;
import vn.ndx.contract.RegistrySnapshot.InformationSystem;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.contract.ServiceAddress;
import vn.ndx.registry.model.RegistryData;

/** What the admin API changes must exist: found, or a 404 naming it. */
final class Existing {

    private Existing() {
    }

    static InformationSystem system(RegistryData data, String code, String system) {
        return data.system(code, system).orElseThrow(() -> ProblemException.notFound("system " + code + "/" + system));
    }

    static Service service(RegistryData data, String code, String system, String service) {
        return data.service(code, system, service)
                .orElseThrow(() -> ProblemException.notFound("service " + new ServiceAddress(code, system, service)));
    }

    static Agency agency(RegistryData data, String code) {
        return data.agency(code).orElseThrow(() -> ProblemException.notFound("agency " + code));
    }

    static RegistryData with(RegistryData data, List<Agency> agencies, List<InformationSystem> systems, List<Service> services) {
        return data.withAgencies(agencies).withSystems(systems).withServices(services);
    }

    static <T> List<T> append(List<T> list, T item) {
        var copy = new ArrayList<>(list);
        copy.add(item);
        return copy;
    }
}
