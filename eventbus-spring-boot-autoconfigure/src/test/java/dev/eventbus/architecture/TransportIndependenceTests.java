package dev.eventbus.architecture;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import dev.eventbus.autoconfigure.EventbusAutoConfiguration;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core of eventbus never points at a transport: no core package imports a transport package
 * or a broker client, and transports do not import each other.
 */
class TransportIndependenceTests {

    private static final List<String> TRANSPORTS = List.of("kafka", "local", "rabbitmq", "nats");

    private static final String[] BROKER_CLIENTS = { "org.apache.kafka..", "org.springframework.kafka..",
            "org.springframework.boot.kafka..", "org.springframework.amqp..", "com.rabbitmq..", "io.nats.." };

    private final JavaClasses mainClasses = new ClassFileImporter().importPath(mainClassesDirectory());

    @Test
    void corePackagesImportNoTransportAndNoBrokerClient() {
        assertThat(this.mainClasses.containPackage("dev.eventbus.kafka")).isTrue();
        assertThat(this.mainClasses.containPackage("dev.eventbus.relay")).isTrue();
        coreImportsNoTransport("dev.eventbus").check(this.mainClasses);
    }

    @Test
    void transportsDoNotImportEachOther() {
        transportsAreIndependent("dev.eventbus").check(this.mainClasses);
    }

    @Test
    void ruleCatchesACorePackageThatImportsABrokerClient() {
        JavaClasses fixture = new ClassFileImporter().importPackages("dev.eventbus.architecture.fixture");

        assertThat(coreImportsNoTransport("dev.eventbus.architecture.fixture").evaluate(fixture).hasViolation())
            .isTrue();
    }

    private static Path mainClassesDirectory() {
        try {
            return Path.of(EventbusAutoConfiguration.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
        catch (URISyntaxException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static ArchRule coreImportsNoTransport(String basePackage) {
        String[] transportPackages = TRANSPORTS.stream().map((name) -> basePackage + "." + name + "..")
            .toArray(String[]::new);
        String[] forbidden = new String[transportPackages.length + BROKER_CLIENTS.length];
        System.arraycopy(transportPackages, 0, forbidden, 0, transportPackages.length);
        System.arraycopy(BROKER_CLIENTS, 0, forbidden, transportPackages.length, BROKER_CLIENTS.length);
        return noClasses().that()
            .resideInAPackage(basePackage + "..")
            .and()
            .resideOutsideOfPackages(transportPackages)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(forbidden)
            .as("core packages of " + basePackage + " import no transport package and no broker client");
    }

    static ArchRule transportsAreIndependent(String basePackage) {
        List<ArchRule> rules = TRANSPORTS.stream()
            .map((transport) -> (ArchRule) noClasses().that()
                .resideInAPackage(basePackage + "." + transport + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(TRANSPORTS.stream()
                    .filter((other) -> !other.equals(transport))
                    .map((other) -> basePackage + "." + other + "..")
                    .toArray(String[]::new))
                .allowEmptyShould(true))
            .toList();
        return CompositeArchRule.of(rules).as("transports of " + basePackage + " do not import each other");
    }

}
