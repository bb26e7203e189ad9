package io.seedtest.analytics;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.seedtest.analytics.bench.ChildJvm;
import io.seedtest.analytics.cli.SeedtestCli;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package picture of docs/architecture.md ("What imports what"), checked on the compiled main
 * classes, so a use by fully qualified name counts as much as an import does.
 */
class PackageDependenciesTest {
  private static final String ROOT = "io.seedtest.analytics";
  private static final String[] DOMAIN = Stream.of("kpi", "ability", "calibration", "features",
      "report", "irt", "serve", "attempts", "importer", "io", "job", "run", "config")
      .map(p -> ROOT + "." + p + "..").toArray(String[]::new);
  private static JavaClasses main;

  /** The main classes' own directory (target/classes): scanning the classpath for the package took seconds. */
  @BeforeAll
  static void importMainClasses() throws URISyntaxException {
    main = new ClassFileImporter()
        .importPath(Path.of(Errors.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
  }

  /** The dependency between job and io goes one way: job uses io (the publisher, the ledger), io never job. */
  @Test
  void storageKnowsNothingOfJobs() {
    noClasses().that().resideInAnyPackage(ROOT + ".io..", ROOT + ".run..", ROOT + ".config..")
        .should().dependOnClassesThat().resideInAPackage(ROOT + ".job..")
        .check(main);
  }

  @Test
  void theRunVocabularyAndTheErrorsDependOnTheJdkOnly() {
    classes().that().resideInAnyPackage(ROOT, ROOT + ".run")
        .should().onlyDependOnClassesThat().resideInAnyPackage(ROOT, ROOT + ".run", "java..")
        .check(main);
  }

  /** No cycle among the packages. */
  @Test
  void noPackageCycles() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(main);
  }

  /**
   * The jobs, the endpoint and their libraries know nothing of the benchmarks or the simulator:
   * those sit above them (bench, sim), used by cli only (and bench by nothing else).
   */
  @Test
  void theDomainKnowsNothingOfBenchmarksOrTheSimulator() {
    noClasses().that().resideInAnyPackage(DOMAIN)
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".bench..", ROOT + ".sim..")
        .check(main);
  }

  @Test
  void onlyTheBenchCommandsUseTheBenchmarks() {
    noClasses().that().resideOutsideOfPackage(ROOT + ".bench..")
        .and().haveSimpleNameNotStartingWith("Bench")
        .should().dependOnClassesThat().resideInAPackage(ROOT + ".bench..")
        .check(main);
  }

  /** The benchmarks start the CLI in a child JVM by its class name (so bench stays below cli): keep the name true. */
  @Test
  void theBenchmarksNameTheCliMainClass() {
    assertThat(ChildJvm.CLI_MAIN).isEqualTo(SeedtestCli.class.getName());
  }
}
